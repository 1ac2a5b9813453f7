#!/bin/bash
# sriovctl real-kernel test lab: boots a small Linux 6.1 kernel in QEMU once
# per scenario and reports PASS/FAIL. See Tests/Lab/README.md.
#
#   SRIOVCTL_BIN=/path/to/sriovctl Tests/Lab/run-lab.sh [options] [SCENARIO...]
#
# Options:
#   --demo        run only the `demo` scenario and stream its steps
#   -j N          boots in parallel (default: 2 if there are >= 2 CPUs, else 1)
#   --list        list the scenarios and their metadata, then exit
#   -h, --help    this text
#
# Environment:
#   SRIOVCTL_BIN            the sriovctl binary to test (required)
#   SRIOVCTL_LAB_CACHE      kernel cache (default /var/cache/sriovctl-lab)
#   SRIOVCTL_LAB_LOGS       console logs (default /tmp/sriovctl-lab-logs)
#   SRIOVCTL_LAB_ACCEL      auto (default) | kvm | tcg
#   SRIOVCTL_LAB_JOBS       same as -j
#   SRIOVCTL_LAB_VERBOSE=1  full kernel boot messages on the console log
#   SRIOVCTL_LAB_BIOS       auto (qboot if installed) | seabios | PATH
#   SRIOVCTL_LAB_BOOT_MARGIN  seconds added to a scenario's timeout for the
#                             host-side hard timeout (default 60)
#
# Exit status: 0 all passed; 1 a scenario (or the kernel/initramfs build)
# failed; 2 usage error; 77 a prerequisite is missing (qemu, kernel source,
# busybox-static, cpio, jq), so a Makefile may treat it as "skipped".
set -uo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOGS=${SRIOVCTL_LAB_LOGS:-/tmp/sriovctl-lab-logs}
ACCEL_MODE=${SRIOVCTL_LAB_ACCEL:-auto}
MARGIN=${SRIOVCTL_LAB_BOOT_MARGIN:-60}
QEMU=${SRIOVCTL_LAB_QEMU:-qemu-system-x86_64}
if [ "$(nproc 2>/dev/null || echo 1)" -ge 2 ]; then JOBS=${SRIOVCTL_LAB_JOBS:-2}; else JOBS=${SRIOVCTL_LAB_JOBS:-1}; fi
DEMO=0
LIST=0
WANT=()

usage() { sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "run-lab: error: $1" >&2; exit "${2:-1}"; }
missing() { echo "run-lab: unavailable: $*" >&2; exit 77; }

while [ $# -gt 0 ]; do
    case "$1" in
        --demo) DEMO=1 ;;
        -j) [ $# -ge 2 ] || die "-j needs a number" 2; JOBS=$2; shift ;;
        -j[0-9]*) JOBS=${1#-j} ;;
        --jobs=*) JOBS=${1#--jobs=} ;;
        --list) LIST=1 ;;
        -h | --help) usage; exit 0 ;;
        -*) die "unknown option $1 (see --help)" 2 ;;
        *) WANT+=("$1") ;;
    esac
    shift
done
case "$JOBS" in '' | *[!0-9]* | 0) die "-j wants a positive number, got '$JOBS'" 2 ;; esac

# ------------------------------------------------------------ scenarios

# meta FILE KEY DEFAULT: value from the "# lab: k=v ..." header line
meta() {
    local line w
    line=$(grep -m1 -E '^#[[:space:]]*lab:' "$1" | sed -E 's/^#[[:space:]]*lab://')
    for w in $line; do
        case "$w" in "$2="*) echo "${w#*=}"; return ;; esac
    done
    echo "$3"
}

ALL=()
for f in "$LAB_DIR"/scenarios/*.sh; do
    [ -e "$f" ] || continue
    ALL+=("$(basename "$f" .sh)")
done

if [ "$LIST" = 1 ]; then
    for s in "${ALL[@]}"; do
        f="$LAB_DIR/scenarios/$s.sh"
        printf '%-28s machine=%s expect=%s timeout=%s\n' "$s" "$(meta "$f" machine default)" "$(meta "$f" expect pass)" "$(meta "$f" timeout 120)"
    done
    exit 0
fi

if [ "$DEMO" = 1 ]; then
    [ ${#WANT[@]} -eq 0 ] || die "--demo takes no scenario names" 2
    WANT=(demo)
    JOBS=1
fi
if [ ${#WANT[@]} -eq 0 ]; then
    # Benchmarks (`bench=yes` in the header) run only when named (make bench).
    SCENARIOS=()
    for s in "${ALL[@]}"; do
        [ "$(meta "$LAB_DIR/scenarios/$s.sh" bench no)" = yes ] || SCENARIOS+=("$s")
    done
else
    SCENARIOS=()
    for s in "${WANT[@]}"; do
        s=${s%.sh}; s=${s##*/}
        [ -f "$LAB_DIR/scenarios/$s.sh" ] || die "no such scenario: $s (have: ${ALL[*]})" 2
        SCENARIOS+=("$s")
    done
fi
[ ${#SCENARIOS[@]} -gt 0 ] || die "no scenarios in $LAB_DIR/scenarios" 2

# Validate metadata up front.
for s in "${SCENARIOS[@]}"; do
    f="$LAB_DIR/scenarios/$s.sh"
    case "$(meta "$f" machine default)" in default | noiommu) ;; *) die "$s: unknown machine '$(meta "$f" machine default)' (default, noiommu)" 2 ;; esac
    case "$(meta "$f" expect pass)" in pass | fail) ;; *) die "$s: expect must be pass or fail" 2 ;; esac
    case "$(meta "$f" timeout 120)" in '' | *[!0-9]*) die "$s: timeout must be a number of seconds" 2 ;; esac
done

# ------------------------------------------------------------ prerequisites

[ -n "${SRIOVCTL_BIN:-}" ] || die "set SRIOVCTL_BIN to the sriovctl binary to test (e.g. .build/release/sriovctl)" 2
[ -f "$SRIOVCTL_BIN" ] && [ -x "$SRIOVCTL_BIN" ] || die "SRIOVCTL_BIN=$SRIOVCTL_BIN is not an executable file" 2
command -v "$QEMU" >/dev/null 2>&1 || missing "$QEMU not found (apt-get install qemu-system-x86)"
command -v timeout >/dev/null 2>&1 || missing "timeout not found (coreutils)"
command -v cpio >/dev/null 2>&1 || missing "cpio not found (apt-get install cpio)"
command -v jq >/dev/null 2>&1 || missing "jq not found (apt-get install jq)"
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 || missing "static busybox not found (apt-get install busybox-static)"
[ -f "${SRIOVCTL_LAB_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz}" ] ||
    missing "kernel source ${SRIOVCTL_LAB_KERNEL_TARBALL:-/usr/src/linux-source-6.1.tar.xz} not found (apt-get install linux-source-6.1 bc bison flex libelf-dev libssl-dev)"

WORK=$(mktemp -d /tmp/lab-run.XXXXXX)
mkdir -p "$WORK/pids" "$WORK/status" "$LOGS"

cleanup() {
    local p
    # the per-scenario subshells first (so they do not report), then the
    # `timeout` wrappers, which pass the signal on to QEMU
    for p in $(jobs -p); do kill -TERM "$p" 2>/dev/null; done
    for p in "$WORK"/pids/*; do
        [ -e "$p" ] && kill -TERM "$(cat "$p")" 2>/dev/null
    done
    wait 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "run-lab: interrupted" >&2; exit 130' INT TERM

T0=$(date +%s.%N)
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------ kernel + initramfs

KERNEL=$("$LAB_DIR/build-kernel.sh" | tail -n 1)
rc=$?
[ "$rc" -eq 77 ] && exit 77
[ "$rc" -eq 0 ] || die "kernel build failed"
[ -f "$KERNEL" ] || die "build-kernel.sh did not produce a kernel"

INITRD="$WORK/initramfs.cpio"
"$LAB_DIR/build-initramfs.sh" "$SRIOVCTL_BIN" "$INITRD" || die "initramfs build failed"

# ------------------------------------------------------------ accelerator

# KVM only if /dev/kvm is usable and a probe boot of the real kernel works
# (nested virtualisation can open /dev/kvm and still hang the guest, as on the
# machine this lab was written on). The probe result is cached per host
# kernel, QEMU version and lab kernel.
ACCEL=(-accel tcg)
ACCEL_NAME=tcg
CACHE_ROOT=${SRIOVCTL_LAB_CACHE:-/var/cache/sriovctl-lab}
probe_kvm() {
    [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
    local key cache verdict log="$WORK/kvm-probe.log"
    key=$(printf '%s\n' "$(uname -r)" "$("$QEMU" --version | sed -n 1p)" "$KERNEL" | sha256sum | cut -c1-16)
    cache="$CACHE_ROOT/kvm-probe-$key"
    if [ -f "$cache" ]; then
        verdict=$(cat "$cache")
    else
        # No initramfs: the kernel panics ("VFS: Unable to mount root fs")
        # and, with panic=-1 and -no-reboot, QEMU exits. Getting that far
        # within the time limit proves KVM can run it.
        timeout -k 2 10 "$QEMU" -nographic -nodefaults -no-reboot -accel kvm -cpu host -m 256M \
            -kernel "$KERNEL" -append "console=ttyS0 panic=-1 quiet" \
            -serial "file:$log" -monitor none </dev/null >/dev/null 2>&1
        if grep -qa 'Kernel panic' "$log" 2>/dev/null; then verdict=ok; else verdict=broken; fi
        echo "$verdict" > "$cache" 2>/dev/null || true
    fi
    if [ "$verdict" != ok ]; then
        echo "run-lab: /dev/kvm exists but cannot run the lab kernel; using TCG (cached in $cache; delete it to probe again)" >&2
        return 1
    fi
}
case "$ACCEL_MODE" in
    tcg) ;;
    kvm) ACCEL=(-accel kvm -cpu host); ACCEL_NAME=kvm ;;
    auto)
        if probe_kvm; then ACCEL=(-accel kvm -cpu host); ACCEL_NAME=kvm; fi ;;
    *) die "SRIOVCTL_LAB_ACCEL must be auto, kvm or tcg" 2 ;;
esac

# ------------------------------------------------------------ firmware

# SeaBIOS (QEMU's default) by default: it places the pxb-pcie expander's bus and
# windows (NVME below), which qboot does not (the kernel then finds no room for the
# NVMe PF: "bridge window ... can't assign; no space"). qboot starts the kernel about a
# second sooner under TCG; SRIOVCTL_LAB_BIOS=qboot picks it (the NVMe scenarios then fail).
BIOS=()
case "${SRIOVCTL_LAB_BIOS:-auto}" in
    auto) ;;
    qboot) BIOS=(-bios /usr/share/qemu/qboot.rom) ;;
    seabios | default) ;;
    *) BIOS=(-bios "$SRIOVCTL_LAB_BIOS") ;;
esac

# ------------------------------------------------------------ machines

# Two NUMA nodes (1 GiB each: -m 2G below; the one CPU on node 0), and the NVMe PF behind a
# pxb-pcie expander on node 1 with a root port under it, so the kernel reads numa_node 1 for
# it from ACPI _PXM (placement-numa; issue 16).
NVME=(-object memory-backend-ram,id=lab-mem0,size=1G -object memory-backend-ram,id=lab-mem1,size=1G
      -numa node,nodeid=0,cpus=0,memdev=lab-mem0 -numa node,nodeid=1,memdev=lab-mem1
      -device pxb-pcie,id=pxb1,bus_nr=64,numa_node=1,bus=pcie.0
      -device pcie-root-port,id=rp1,bus=pxb1,chassis=1,slot=1
      -device nvme-subsys,id=subsys0
      -device nvme,serial=lab0001,bus=rp1,subsys=subsys0,sriov_max_vfs=4,sriov_vq_flexible=8,sriov_vi_flexible=4,max_ioqpairs=12,msix_qsize=16)

# machine NAME: sets MACHINE_ARGS (QEMU) and MACHINE_CMDLINE (kernel)
machine() {
    case "$1" in
        default)
            MACHINE_ARGS=(-M q35,kernel-irqchip=split -device intel-iommu,intremap=on "${NVME[@]}")
            MACHINE_CMDLINE="intel_iommu=on iommu=pt" ;;
        noiommu)
            MACHINE_ARGS=(-M q35 "${NVME[@]}")
            MACHINE_CMDLINE="" ;;
    esac
}

# ------------------------------------------------------------ one boot

# run_one NAME: boot, wait, classify; prints one result line and writes
# $WORK/status/NAME (pass|fail).
run_one() {
    local name=$1 f="$LAB_DIR/scenarios/$1.sh"
    local mach expect tmo log qlog start rc hard result reason line verdict
    mach=$(meta "$f" machine default)
    expect=$(meta "$f" expect pass)
    tmo=$(meta "$f" timeout 120)
    log="$LOGS/$name.log"
    qlog="$WORK/$name.qemu.log"
    machine "$mach"
    local quiet=quiet
    [ "${SRIOVCTL_LAB_VERBOSE:-0}" = 1 ] && quiet=""
    hard=$((tmo + MARGIN))
    rm -f "$log"
    start=$(date +%s.%N)
    timeout -k 5 "$hard" "$QEMU" -nographic -nodefaults -no-reboot \
        "${ACCEL[@]}" -m 2G -smp 1 "${BIOS[@]}" \
        "${MACHINE_ARGS[@]}" \
        -kernel "$KERNEL" -initrd "$INITRD" \
        -append "console=ttyS0 panic=-1 no_timer_check clocksource=hpet $quiet $MACHINE_CMDLINE lab.scenario=$name lab.timeout=$tmo" \
        -serial "file:$log" -monitor none \
        </dev/null >"$qlog" 2>&1 &
    echo $! > "$WORK/pids/$name"
    wait $! 2>/dev/null
    rc=$?
    rm -f "$WORK/pids/$name"
    local took
    took=$(elapsed "$start")
    touch "$log"
    if [ -s "$qlog" ]; then
        { echo; echo "---- qemu output (exit status $rc) ----"; cat "$qlog"; } >> "$log"
    fi
    { echo; echo "---- run-lab: machine=$mach expect=$expect timeout=${tmo}s accel=$ACCEL_NAME qemu-exit=$rc wall=${took}s ----"; } >> "$log"

    line=$(tr -d '\r' < "$log" | grep -a -o '@@LAB-RESULT .*' | tail -n 1)
    case "$line" in
        "@@LAB-RESULT PASS $name") result=pass; reason="" ;;
        "@@LAB-RESULT FAIL $name: "*) result=fail; reason=${line#"@@LAB-RESULT FAIL $name: "} ;;
        "@@LAB-RESULT "*) result=broken; reason="unexpected result line: $line" ;;
        *)
            result=broken
            if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
                reason="VM timed out after ${hard}s (host timeout), no result"
            elif grep -qa 'Kernel panic' "$log"; then
                reason="kernel panic: $(tr -d '\r' < "$log" | grep -a -m1 'Kernel panic' | sed 's/^.*Kernel panic - //')"
            elif [ -s "$qlog" ]; then
                reason="qemu exited with status $rc: $(head -n 1 "$qlog")"
            else
                reason="no @@LAB-RESULT line (qemu exit status $rc)"
            fi ;;
    esac

    if [ "$expect" = pass ]; then
        case "$result" in
            pass) verdict=pass; line="PASS $name (${took}s)" ;;
            *) verdict=fail; line="FAIL $name: $reason — log: $log" ;;
        esac
    else
        case "$result" in
            fail)
                case "$reason" in
                    "timed out after "*"(in the guest)")
                        verdict=fail; line="FAIL $name: $reason (expected a scenario failure, not a timeout) — log: $log" ;;
                    *) verdict=pass; line="PASS $name (expected failure: $reason) (${took}s)" ;;
                esac ;;
            pass) verdict=fail; line="FAIL $name: expected to fail, but passed — log: $log" ;;
            *) verdict=fail; line="FAIL $name: $reason (expected a scenario failure, got none) — log: $log" ;;
        esac
    fi
    echo "$verdict" > "$WORK/status/$name"
    echo "$line"
}

# ------------------------------------------------------------ demo output

demo_stream() {
    local log=$1 pid=$2
    local bold="" dim="" red="" green="" reset=""
    if [ -t 1 ]; then
        bold=$'\e[1m' dim=$'\e[2m' red=$'\e[31m' green=$'\e[32m' reset=$'\e[0m'
    fi
    tail -n +1 -F --pid="$pid" "$log" 2>/dev/null | tr -d '\r' | while IFS= read -r l; do
        case "$l" in
            *@@LAB-INIT*) printf '%s(VM booted in %ss)%s\n' "$dim" "$(echo "$l" | sed -n 's/.*uptime=\([0-9.]*\).*/\1/p')" "$reset" ;;
            @@LAB-STEP\ *) printf '\n%s==> %s%s\n' "$bold" "${l#@@LAB-STEP }" "$reset" ;;
            @@LAB-SHOW\ *) printf '%s$ %s%s\n' "$bold" "${l#@@LAB-SHOW }" "$reset" ;;
            @@LAB-OUT\ *) printf '%s\n' "${l#@@LAB-OUT }" ;;
            @@LAB-NOTE\ *) printf '%s# %s%s\n' "$dim" "${l#@@LAB-NOTE }" "$reset" ;;
            @@LAB-FAIL\ *) printf '%s!! %s%s\n' "$red" "${l#@@LAB-FAIL }" "$reset" ;;
            @@LAB-RESULT\ PASS*) printf '\n%sdemo finished%s\n' "$green" "$reset" ;;
            @@LAB-RESULT\ FAIL*) printf '\n%sdemo failed: %s%s\n' "$red" "${l#@@LAB-RESULT FAIL }" "$reset" ;;
        esac
    done
}

# ------------------------------------------------------------ run

echo "run-lab: ${#SCENARIOS[@]} scenario(s), accel=$ACCEL_NAME, jobs=$JOBS, kernel=$KERNEL, logs in $LOGS" >&2

if [ "$DEMO" = 1 ]; then
    rm -f "$LOGS/demo.log"
    : > "$LOGS/demo.log"
    echo "booting the demo VM (accel=$ACCEL_NAME)..."
    run_one demo > "$WORK/demo.line" &
    rpid=$!
    demo_stream "$LOGS/demo.log" "$rpid"
    wait "$rpid"
    cat "$WORK/demo.line"
else
    running=0
    for s in "${SCENARIOS[@]}"; do
        while [ "$running" -ge "$JOBS" ]; do
            wait -n 2>/dev/null
            running=$((running - 1))
        done
        run_one "$s" &
        running=$((running + 1))
    done
    wait
fi

passed=0
failed=0
for s in "${SCENARIOS[@]}"; do
    if [ "$(cat "$WORK/status/$s" 2>/dev/null)" = pass ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        [ -e "$WORK/status/$s" ] || echo "FAIL $s: the runner lost this scenario — log: $LOGS/$s.log"
    fi
done
echo "run-lab: total $(elapsed "$T0")s" >&2
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
