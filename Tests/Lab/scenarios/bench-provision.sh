# lab: machine=default expect=pass timeout=900 bench=yes
# Benchmark (not a test: nothing is asserted about speed). Provisions 4 netdevsim PFs x 64
# VFs from scratch, several times, and splits the time into kernel VF creation (the
# sriov_numvfs writes and waiting for the VFs) and sriovctl's VF programming (one netlink
# request per PF), using `provision --json` timings. Wall time per run comes from
# /proc/uptime (10 ms ticks). Results: @@LAB-NOTE lines starting with "bench:"
# (see docs/benchmarks.md).

PFS=4
VFS=64
ROUNDS=${BENCH_ROUNDS:-5}

# fresh_pfs: (re)create the netdevsim devices, so no VF and no VF setting survives (netdevsim
# keeps VF settings across sriov_numvfs 0 -> N; real NICs and a reboot do not), and write
# the config for them. PF netdev names go to /tmp/pfs.
fresh_pfs() {
    local p name
    : > /tmp/pfs
    for ((p = 0; p < PFS; p++)); do
        [ -e /sys/bus/netdevsim/devices/netdevsim$((30 + p)) ] && echo $((30 + p)) > /sys/bus/netdevsim/del_device
        name=$(netdevsim_pf $((30 + p)) $VFS 2>/dev/null)
        $IP link set "$name" up
        echo "$name" >> /tmp/pfs
    done
    {
        echo "version: 1"
        echo "pfs:"
        while read -r name; do
            echo "  - netdev: $name"
            echo "    num_vfs: $VFS"
            echo "    vf_defaults: {spoofchk: false, trust: true, link_state: enable, max_rate: 1000, vlan: 42}"
        done < /tmp/pfs
    } > /etc/sriovctl/config.yaml
}

step "$PFS netdevsim PFs, $VFS VFs each, no VFs yet"
mkdir -p /etc/sriovctl
fresh_pfs
show cat /etc/sriovctl/config.yaml

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

step "Baseline: starting sriovctl (--version, $ROUNDS runs)"
sriovctl --version > /dev/null    # warm-up: the first start also pages the binary in
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do sriovctl --version > /dev/null; done
note "bench: sriovctl --version (process start, no work): $(( ($(now_ms) - start) / ROUNDS )) ms wall per run"
start=$(now_ms)
for ((r = 0; r < ROUNDS; r++)); do sriovctl leases --json > /dev/null 2>&1 || true; done
note "bench: sriovctl leases --json (process start, open and read the state database): $(( ($(now_ms) - start) / ROUNDS )) ms wall per run"

step "$ROUNDS rounds: fresh PFs without VFs (as after a boot), then sriovctl provision --json"
: > /tmp/bench.tsv
for ((r = 0; r < ROUNDS; r++)); do
    [ "$r" -eq 0 ] || fresh_pfs
    start=$(now_ms)
    sriovctl provision --json > /tmp/round.json
    wall=$(( $(now_ms) - start ))
    assert_jsons /tmp/round.json <<CHECKS
.succeeded => true
.summary.changed => $PFS
.timings.netlinkRequests => $PFS
CHECKS
    jq -r --arg wall "$wall" '[.timings.observeMs, .timings.vfCreationMs, .timings.programmingMs, .timings.totalMs, ($wall | tonumber)] | @tsv' /tmp/round.json >> /tmp/bench.tsv
done
# Every VF carries the defaults (checked once, after the last round).
while read -r pf; do
    $IP -j link show "$pf" > /tmp/ip.json
    assert_jsons /tmp/ip.json '.[0].vfinfo_list' <<CHECKS
length => $VFS
[.[] | "\\(.trust) \\(.spoofchk) \\(.link_state) \\(.rate.max_tx) \\(.vlan_list[0].vlan)"] | unique => ["true false enable 1000 42"]
CHECKS
done < /tmp/pfs
show cat /tmp/bench.tsv

step "Per round (milliseconds): observe, kernel VF creation, VF programming, total (sriovctl), wall"
note "$(awk -v pfs=$PFS -v vfs=$VFS '{ o += $1; c += $2; p += $3; t += $4; w += $5; n++ } END {
    printf "bench: provision %d PFs x %d VFs from scratch, mean of %d runs: observe %.1f ms, kernel VF creation %.1f ms, VF programming %.1f ms (%d netlink requests), sriovctl total %.1f ms, wall %.0f ms; programming %.1f us per VF",
        pfs, vfs, n, o / n, c / n, p / n, pfs, t / n, w / n, p / n * 1000 / (pfs * vfs) }' /tmp/bench.tsv)"

step "A second run with everything in place"
start=$(now_ms)
sriovctl provision --json > /tmp/noop.json
wall=$(( $(now_ms) - start ))
assert_json /tmp/noop.json '.nothingToDo' true
note "$(jq -r --arg wall "$wall" '"bench: provision with nothing to do: sriovctl total \(.timings.totalMs) ms (observe \(.timings.observeMs) ms), wall \($wall) ms"' /tmp/noop.json)"
