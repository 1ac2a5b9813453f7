# shellcheck shell=bash
# Helpers for lab scenarios. Runs INSIDE the test VM (bash from the host,
# busybox for everything else, iproute2 at /usr/sbin/ip, jq, sriovctl).
#
# A scenario (Tests/Lab/scenarios/NAME.sh) is sourced by run-scenario.sh
# after `lab_setup` with `set -eEu -o pipefail` and an ERR trap already in place, so it
# needs no boilerplate: any failing command fails the scenario and the
# result line names the scenario line and the command.
#
# Markers written to the serial console (parsed by run-lab.sh):
#   @@LAB-STEP <text>            step "text"          (demo narration)
#   @@LAB-SHOW <command>         show CMD...          (demo: command ...)
#   @@LAB-OUT <line>                                  (... and its output)
#   @@LAB-OK <what>              a passed assertion
#   @@LAB-FAIL <reason>          the first failure
#   @@LAB-RESULT PASS <scenario> / @@LAB-RESULT FAIL <scenario>: <reason>
#     (printed by /init from the exit status of the scenario)

[ -n "${LAB_LIB_LOADED:-}" ] && return 0
LAB_LIB_LOADED=1

LAB_DIR=${LAB_DIR:-/lab}
LAB_REASON_FILE=${LAB_REASON_FILE:-/tmp/lab-fail-reason}
export PATH=/usr/bin:/bin:/usr/sbin:/sbin
IP=/usr/sbin/ip             # iproute2; busybox's `ip` applet lives at /sbin/ip

# ---------------------------------------------------------------- reporting

# Record the first failure reason (later, cascading ones are ignored).
# (one line: newlines are shown as \n)
_lab_reason() {
    local msg="$*"
    msg=${msg//$'\n'/\\n}
    [ -s "$LAB_REASON_FILE" ] || printf '%s\n' "$msg" > "$LAB_REASON_FILE"
}

# "scenario.sh:LINE" of the innermost scenario frame ("" if none).
_lab_scenario_line() {
    local i
    for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
        case "${BASH_SOURCE[$i]}" in
            */scenarios/* | */demo.d/*) echo "${BASH_SOURCE[$i]##*/}:${BASH_LINENO[$((i - 1))]}"; return 0 ;;
        esac
    done
}

# fail MSG: fail the scenario with a clear message (prefixed with the
# scenario line that led here).
fail() {
    local where msg
    where=$(_lab_scenario_line)
    msg="${where:+$where: }$*"
    echo "@@LAB-FAIL $msg" >&2
    _lab_reason "$msg"
    exit 1
}

# "scenario.sh:12" (plus "> lib.sh:80" frames when inside a helper)
_lab_where() {
    local i n=${#BASH_SOURCE[@]} out=""
    # frame 0 is _lab_where, 1 is _lab_on_err; the failing command is at
    # BASH_SOURCE[2]:BASH_LINENO[1]... walk outwards to the scenario.
    for ((i = n - 1; i >= 2; i--)); do
        local src=${BASH_SOURCE[$i]} line=${BASH_LINENO[$((i - 1))]}
        case "$src" in */scenarios/* | */demo.d/*) ;; *) [ "$i" -eq 2 ] || continue ;; esac
        out="${out:+$out > }${src##*/}:$line"
    done
    echo "$out"
}

_lab_on_err() {
    local rc=$1 cmd=$2
    local where
    # A helper returning non-zero (e.g. show): name the helper, not "return".
    case "$cmd" in
        return*) cmd=${LAB_LAST_CALL:-$cmd} ;;
    esac
    where=$(_lab_where)
    echo "@@LAB-FAIL ${where}: '${cmd}' exited with status $rc" >&2
    _lab_reason "${where}: '${cmd}' exited with status $rc"
}

# lab_setup NAME: prepare this shell to run scenario NAME. The caller
# (run-scenario.sh) then sources the scenario at top level (sourcing from
# inside a function upsets bash when the scenario exits).
lab_setup() {
    LAB_SCENARIO=$1
    LAB_SCENARIO_FILE="$LAB_DIR/scenarios/$1.sh"
    export LAB_SCENARIO
    rm -f "$LAB_REASON_FILE"
    [ -f "$LAB_SCENARIO_FILE" ] || fail "no such scenario: $1 ($LAB_SCENARIO_FILE)"
    set -eEu -o pipefail
    trap '_lab_on_err "$?" "$BASH_COMMAND"' ERR
    cd /tmp
}

# step "text": a human-readable demo/narration line.
step() { echo "@@LAB-STEP $*"; }

# note "text": an informational line (shown in --demo, dimmed).
note() { echo "@@LAB-NOTE $*"; }

# show CMD [ARG...]: print the command and its output (stdout+stderr);
# returns the command's status (so a failing command fails the scenario;
# `show CMD || true` shows an expected failure).
# show "SHELL TEXT": one argument with pipes/redirections is eval'ed and
# printed verbatim, e.g. show "echo 4 > /sys/class/net/$pf/device/sriov_numvfs".
show() {
    LAB_LAST_CALL="show $*"
    echo "@@LAB-SHOW $*"
    local out rc=0
    if [ $# -eq 1 ]; then
        out=$(eval "$1" 2>&1) || rc=$?
    else
        out=$("$@" 2>&1) || rc=$?
    fi
    if [ -n "$out" ]; then
        printf '%s\n' "$out" | sed 's/^/@@LAB-OUT /'
    fi
    LAB_LAST_OUTPUT=$out
    if [ "$rc" -ne 0 ]; then
        echo "@@LAB-OUT (exit status $rc)"
        return "$rc"
    fi
    LAB_LAST_CALL=""
}

# ---------------------------------------------------------------- assertions

# ip_vf PF N JQ: iproute2's view of VF N of PF through the jq expression JQ (e.g. .address).
ip_vf() {
    $IP -j link show "$1" | jq -r -c --argjson n "$2" ".[0].vfinfo_list[] | select(.vf == \$n) | $3"
}

_lab_ok() { echo "@@LAB-OK $*" >&2; }

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
    [ $# -eq 3 ] || fail "assert_eq needs 3 arguments (WHAT EXPECTED ACTUAL), got $#: $*"
    if [ "$2" != "$3" ]; then
        fail "$1: expected '$2', got '$3'"
    fi
    _lab_ok "$1 = '$3'"
}

# assert_ne WHAT UNEXPECTED ACTUAL
assert_ne() {
    [ $# -eq 3 ] || fail "assert_ne needs 3 arguments (WHAT UNEXPECTED ACTUAL), got $#: $*"
    if [ "$2" = "$3" ]; then
        fail "$1: expected anything but '$2'"
    fi
    _lab_ok "$1 = '$3' (not '$2')"
}

# assert_json JSONFILE JQ-EXPR EXPECTED
# Compares `jq -r -c EXPR` output as a string: strings raw, null as "null",
# arrays/objects as compact JSON, several outputs one per line.
# Each jq start costs about a second under TCG: for more than a couple of
# checks on one file use assert_jsons.
assert_json() {
    [ $# -eq 3 ] || fail "assert_json needs 3 arguments (FILE EXPR EXPECTED), got $#: $*"
    local file=$1 expr=$2 expected=$3 actual
    [ -f "$file" ] || fail "assert_json: no such file $file"
    if ! actual=$(jq -r -c "$expr" "$file" 2>&1); then
        fail "assert_json: jq '$expr' failed on $file: $actual"
    fi
    if [ "$actual" != "$expected" ]; then
        fail "json $expr: expected '$expected', got '$actual'"
    fi
    _lab_ok "json $expr = '$actual'"
}

# assert_jsons JSONFILE [PREFIX] <<'EOF'
#   EXPR => EXPECTED
#   ...
# EOF
# Many assert_json checks on one file with a single jq run. Each line is
# "EXPR => EXPECTED" (blank lines and lines starting with # are skipped);
# with PREFIX, EXPR is evaluated as "PREFIX | (EXPR)". Results compare like
# assert_json. Fails on the first mismatch, naming the expression.
assert_jsons() {
    [ $# -ge 1 ] && [ $# -le 2 ] || fail "assert_jsons needs FILE [PREFIX] and checks on stdin"
    local file=$1 prefix=${2:-} line prog="" n=0 i out
    local -a exprs=() wants=() got=()
    [ -f "$file" ] || fail "assert_jsons: no such file $file"
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "${line//[[:space:]]/}" ] || continue
        case "${line#"${line%%[![:space:]]*}"}" in \#*) continue ;; esac
        case "$line" in *" => "*) ;; *) fail "assert_jsons: line without ' => ': $line" ;; esac
        line=${line#"${line%%[![:space:]]*}"}
        exprs+=("${line% => *}")
        wants+=("${line##* => }")
    done
    n=${#exprs[@]}
    [ "$n" -gt 0 ] || fail "assert_jsons: no checks given"
    for ((i = 0; i < n; i++)); do
        local e=${exprs[$i]}
        [ -n "$prefix" ] && e="$prefix | ($e)"
        prog+="(try ([ $e ] | map(if type == \"string\" then . else tojson end) | join(\"\\n\")) catch (\"jq error: \" + tostring)), \"\\u001e\", "
    done
    prog+='empty'
    if ! out=$(jq -j "$prog" "$file" 2>&1); then
        fail "assert_jsons: jq failed on $file: $out"
    fi
    mapfile -t -d $'\x1e' got < <(printf '%s' "$out")
    [ "${#got[@]}" -eq "$n" ] || fail "assert_jsons: expected $n results from jq, got ${#got[@]}"
    for ((i = 0; i < n; i++)); do
        local shown=${exprs[$i]}
        [ -n "$prefix" ] && shown="$prefix | ($shown)"
        if [ "${got[$i]}" != "${wants[$i]}" ]; then
            fail "json $shown: expected '${wants[$i]}', got '${got[$i]}'"
        fi
        _lab_ok "json $shown = '${got[$i]}'"
    done
}

# jqr JSONFILE JQ-EXPR: print jq -r output (fails the scenario if jq fails)
jqr() {
    local out
    out=$(jq -r -c "$2" "$1" 2>&1) || fail "jq '$2' failed on $1: $out"
    printf '%s\n' "$out"
}

# assert_contains WHAT HAYSTACK NEEDLE
assert_contains() {
    [ $# -eq 3 ] || fail "assert_contains needs 3 arguments (WHAT HAYSTACK NEEDLE), got $#: $*"
    case "$2" in
        *"$3"*) _lab_ok "$1 contains '$3'" ;;
        *) fail "$1: expected to contain '$3', got '$2'" ;;
    esac
}

# assert_not_contains WHAT HAYSTACK NEEDLE
assert_not_contains() {
    [ $# -eq 3 ] || fail "assert_not_contains needs 3 arguments (WHAT HAYSTACK NEEDLE), got $#: $*"
    case "$2" in
        *"$3"*) fail "$1: expected not to contain '$3', got '$2'" ;;
        *) _lab_ok "$1 does not contain '$3'" ;;
    esac
}

# assert_fails CMD...: CMD must exit non-zero. Its output goes to the log.
# The exit status is left in $LAB_LAST_STATUS and the output in $LAB_LAST_OUTPUT.
assert_fails() {
    LAB_LAST_STATUS=0
    LAB_LAST_OUTPUT=$("$@" 2>&1) || LAB_LAST_STATUS=$?
    if [ "$LAB_LAST_STATUS" -eq 0 ]; then
        printf '%s\n' "$LAB_LAST_OUTPUT" | sed 's/^/  | /'
        fail "expected failure, but succeeded: $*"
    fi
    _lab_ok "fails as expected (status $LAB_LAST_STATUS): $*"
}

# assert_succeeds CMD...: like running CMD, but the failure message includes its output.
assert_succeeds() {
    LAB_LAST_STATUS=0
    LAB_LAST_OUTPUT=$("$@" 2>&1) || LAB_LAST_STATUS=$?
    if [ "$LAB_LAST_STATUS" -ne 0 ]; then
        printf '%s\n' "$LAB_LAST_OUTPUT" | sed 's/^/  | /'
        fail "exit status $LAB_LAST_STATUS: $* -- $(printf '%s' "$LAB_LAST_OUTPUT" | tail -n 3 | tr '\n' ' ')"
    fi
    _lab_ok "succeeded: $*"
}

# wait_for SECONDS DESCRIPTION CMD...: poll CMD every 0.1 s until it succeeds.
wait_for() {
    local secs=$1 what=$2 i
    shift 2
    for ((i = 0; i < secs * 10; i++)); do
        if "$@" >/dev/null 2>&1; then return 0; fi
        sleep 0.1
    done
    fail "timed out after ${secs}s waiting for $what"
}

# ---------------------------------------------------------------- netdevsim

# netdevsim_pf ID MAXVFS: create netdevsim device ID (one port), allow MAXVFS
# VFs, wait for its netdev and echo the netdev name. VFs are then enabled by
# writing to /sys/class/net/NAME/device/sriov_numvfs.
netdevsim_pf() {
    local id=$1 maxvfs=$2
    local dev=/sys/bus/netdevsim/devices/netdevsim$id
    [ -e /sys/bus/netdevsim/new_device ] || fail "netdevsim not available (CONFIG_NETDEVSIM)"
    echo "$id 1" > /sys/bus/netdevsim/new_device ||
        fail "could not create netdevsim device $id"
    wait_for 10 "netdevsim$id netdev" _lab_has_netdev "$dev"
    local dbg=/sys/kernel/debug/netdevsim/netdevsim$id/max_vfs
    [ -e "$dbg" ] || fail "$dbg missing (is debugfs mounted?)"
    echo "$maxvfs" > "$dbg" || fail "could not set max_vfs=$maxvfs for netdevsim$id"
    local name
    name=$(ls "$dev/net" | sed -n 1p)
    echo "netdevsim$id: netdev $name, max_vfs $maxvfs" >&2
    echo "$name"
}
_lab_has_netdev() { [ -n "$(ls "$1/net" 2>/dev/null)" ]; }

# netdevsim_set_vfs NETDEV N: write N to the netdev's device/sriov_numvfs.
netdevsim_set_vfs() {
    local f=/sys/class/net/$1/device/sriov_numvfs
    [ -e "$f" ] || fail "$f missing"
    echo "$2" > "$f" || fail "writing $2 to $f failed"
    assert_eq "$1 sriov_numvfs" "$2" "$(cat "$f")"
}

# ---------------------------------------------------------------- PCI / NVMe

# nvme_pf: echo the PCI address of the SR-IOV PF (QEMU's NVMe controller).
nvme_pf() {
    local f
    for f in /sys/bus/pci/devices/*/sriov_totalvfs; do
        [ -e "$f" ] || continue
        basename "$(dirname "$f")"
        return 0
    done
    fail "no PCI device with sriov_totalvfs (is the NVMe SR-IOV PF on the QEMU command line?)"
}

# nvme_enable_vfs N [AUTOPROBE]: enable N VFs on the NVMe PF and wait for
# their virtfn links. AUTOPROBE (sriov_drivers_autoprobe) defaults to 0:
# QEMU's NVMe VFs are offline secondary controllers; with 1 the host nvme
# driver probes each VF, fails ("Device not ready; aborting initialisation,
# CSTS=0x2"), prints kernel errors and leaves the VF without a driver.
nvme_enable_vfs() {
    local n=$1 autoprobe=${2:-0} pf i
    pf=$(nvme_pf)
    local d=/sys/bus/pci/devices/$pf
    echo "$autoprobe" > "$d/sriov_drivers_autoprobe" || fail "could not set sriov_drivers_autoprobe on $pf"
    if [ "$(cat "$d/sriov_numvfs")" != "$n" ] && [ "$(cat "$d/sriov_numvfs")" != 0 ]; then
        echo 0 > "$d/sriov_numvfs"
    fi
    echo "$n" > "$d/sriov_numvfs" || fail "writing $n to $d/sriov_numvfs failed"
    for ((i = 0; i < n; i++)); do
        wait_for 10 "$pf virtfn$i" test -e "$d/virtfn$i"
    done
    assert_eq "$pf sriov_numvfs" "$n" "$(cat "$d/sriov_numvfs")"
}

# nvme_vf_addr INDEX: PCI address of the NVMe PF's VF INDEX (virtfn link target).
nvme_vf_addr() {
    local l=/sys/bus/pci/devices/$(nvme_pf)/virtfn$1
    [ -e "$l" ] || fail "$l missing"
    basename "$(readlink -f "$l")"
}

# pci_driver PCI: echo the bound driver's name, or "" if none.
pci_driver() {
    local l=/sys/bus/pci/devices/$1/driver
    if [ -e "$l" ]; then basename "$(readlink -f "$l")"; fi
}

# bind_vfio PCI: move a device to vfio-pci (driver_override + unbind + drivers_probe).
bind_vfio() {
    local pci=$1 d=/sys/bus/pci/devices/$1
    [ -d "$d" ] || fail "bind_vfio: no PCI device $pci"
    echo vfio-pci > "$d/driver_override"
    if [ -e "$d/driver" ]; then
        echo "$pci" > "$d/driver/unbind"
    fi
    echo "$pci" > /sys/bus/pci/drivers_probe ||
        fail "bind_vfio: drivers_probe for $pci failed"
    assert_eq "$pci driver" "vfio-pci" "$(pci_driver "$pci")"
}

# iommu_group PCI: the device's IOMMU group number ("" if none).
iommu_group() {
    local l=/sys/bus/pci/devices/$1/iommu_group
    if [ -e "$l" ]; then basename "$(readlink -f "$l")"; fi
}

# ---------------------------------------------------------------- sriovctl agent

# now_ms: milliseconds since the epoch (bash's EPOCHREALTIME; the guest clock follows HPET).
now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# agent_start [ARGS...]: starts `sriovctl agent -v ARGS` in the background (log in
# $AGENT_LOG, pid in $AGENT_PID) and waits for its first full pass.
AGENT_LOG=/tmp/agent.log
agent_start() {
    : > "$AGENT_LOG"
    sriovctl agent -v "$@" >> "$AGENT_LOG" 2>&1 &
    AGENT_PID=$!
    wait_for 60 "the agent's first pass" grep -q "pass done: every PF, trigger startup" "$AGENT_LOG"
    note "agent $AGENT_PID started; first pass: $(grep -m1 'pass done' "$AGENT_LOG" | sed 's/.*pass done: //')"
}

# agent_netdevsim_host ID MAXVFS NUMVFS [--pf|--network|--agent|--top 'YAML']...: the setup of
# the agent scenarios. A netdevsim PF (device netdevsimID, MAXVFS VFs allowed), up, written to
# /etc/sriovctl/config.yaml with NUMVFS VFs and the network `prod` on it, then provisioned.
# Each option adds one line: --pf 'vf_defaults: {spoofchk: true}' to the PF's entry,
# --network 'vlan: 100' to prod, --agent 'settle_ms: 0' to the agent: section, --top
# 'mac_pool: {...}' at the top. Sets $PF (its netdev) and $PF_DEVICE (netdevsimID).
agent_netdevsim_host() {
    local id=$1 max=$2 n=$3 pf_lines="" network_lines="" agent_lines="" top_lines=""
    shift 3
    while [ $# -gt 0 ]; do
        [ $# -ge 2 ] || fail "agent_netdevsim_host: $1 needs a YAML line"
        case $1 in
            --pf) pf_lines+="    $2"$'\n' ;;
            --network) network_lines+="    $2"$'\n' ;;
            --agent) agent_lines+="  $2"$'\n' ;;
            --top) top_lines+="$2"$'\n' ;;
            *) fail "agent_netdevsim_host: unknown option $1" ;;
        esac
        shift 2
    done
    PF=$(netdevsim_pf "$id" "$max")
    PF_DEVICE=netdevsim$id
    $IP link set "$PF" up
    mkdir -p /etc/sriovctl
    {
        printf 'version: 1\npfs:\n  - netdev: %s\n    num_vfs: %s\n%s' "$PF" "$n" "$pf_lines"
        printf 'networks:\n  - name: prod\n    pfs: [%s]\n%s' "$PF" "$network_lines"
        [ -z "$agent_lines" ] || printf 'agent:\n%s' "$agent_lines"
        printf '%s' "$top_lines"
    } > /etc/sriovctl/config.yaml
    sriovctl provision > /dev/null || { cat /etc/sriovctl/config.yaml; fail "provision failed"; }
}

# agent_attach GUEST [ARGS...]: `sriovctl attach GUEST --network prod --format json ARGS`, its
# JSON in /tmp/GUEST.json; sets $VF and $MAC to the VF and MAC the guest got.
agent_attach() {
    local guest=$1
    shift
    sriovctl attach "$guest" --network prod --format json "$@" > "/tmp/$guest.json" || fail "attach $guest failed"
    VF=$(jqr "/tmp/$guest.json" .vfIndex)
    MAC=$(jqr "/tmp/$guest.json" .mac)
}

# agent_metrics: GET /metrics on the agent's socket (curl, a real HTTP client).
AGENT_SOCKET=/run/sriovctl/agent.sock
agent_metrics() { curl -sS --max-time 10 --unix-socket "$AGENT_SOCKET" http://localhost/metrics; }

# metric_value FILE NAME{LABELS}: the value of one sample in a /metrics text ("" if absent).
metric_value() { awk -v name="$2" '$1 == name { print $2 }' "$1"; }

# agent_passes: how many passes the agent has logged so far.
agent_passes() { grep -c "pass done" "$AGENT_LOG" || true; }

# measure SECS WHAT CMD...: polls CMD every 0.05 s until it succeeds (fails after SECS),
# then prints "@@LAB-NOTE measured: WHAT: N ms" and sets $MEASURED_MS (from the call).
measure() {
    local secs=$1 what=$2 start end
    shift 2
    start=$(now_ms)
    while ! "$@" >/dev/null 2>&1; do
        if (( $(now_ms) - start > secs * 1000 )); then
            echo "---- agent log (last 30 lines)" >&2; tail -30 "$AGENT_LOG" >&2
            fail "timed out after ${secs}s waiting for $what"
        fi
        sleep 0.05
    done
    end=$(now_ms)
    MEASURED_MS=$((end - start))
    note "measured: $what: ${MEASURED_MS} ms"
}

# vf_is N JQ EXPECTED: VF N of $PF, as iproute2 shows it through JQ, is EXPECTED.
vf_is() { [ "$(ip_vf "$PF" "$1" "$2")" = "$3" ]; }

# vf_has N TEXT: iproute2's text line for VF N of $PF ("vf 3     link/ether ..., vlan 100,
# ..., trust on") contains TEXT. No jq (which costs ~1 s a start under TCG): for polling.
vf_has() { $IP link show "$PF" | grep -E "^ +vf $1 " | grep -qF -- "$2"; }

# agent_alive: the agent process still runs.
agent_alive() { kill -0 "$AGENT_PID" 2>/dev/null; }
