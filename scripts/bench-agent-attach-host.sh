#!/bin/bash
# Host benchmark (docs/benchmarks.md, "The agent"): `sriovctl attach` through a running agent
# against the CLI alone (--direct), and the agent's API alone (curl), interleaved, on a sysfs
# tree shaped like the lab's netdevsim PF (64 VFs). This host has no SR-IOV, so nothing is
# programmed (the test-only SRIOVCTL_TEST_UNPROGRAMMED_VFS switch, for the CLI and the agent
# alike): what is compared is what an attach costs besides netlink (start, config, sysfs
# survey, the state database, the operation lock).
#
#   scripts/bench-agent-attach-host.sh [SRIOVCTL_BIN] [ROUNDS]
set -euo pipefail
BIN=$(realpath "${1:-.build/release/sriovctl}")
ROUNDS=${2:-30}
command -v curl > /dev/null || { echo "curl is needed" >&2; exit 77; }
WORK=$(mktemp -d /tmp/sab-XXXXXX)
AGENT_PID=
cleanup() { [ -n "$AGENT_PID" ] && kill -TERM "$AGENT_PID" 2>/dev/null && wait "$AGENT_PID" || true; rm -rf "$WORK"; }
trap cleanup EXIT

SYS=$WORK/sys
DEV=$SYS/devices/netdevsim10
mkdir -p "$SYS"/{bus/pci/devices,bus/pci/drivers,class/net,kernel/iommu_groups} "$SYS/bus/netdevsim/drivers/netdevsim" \
         "$DEV/net/eni10np1"
: > "$SYS/bus/pci/drivers_probe"
echo 64 > "$DEV/sriov_numvfs"
ln -s ../../bus/netdevsim/drivers/netdevsim "$DEV/driver"
echo 02:00:00:00:10:00 > "$DEV/net/eni10np1/address"
echo up > "$DEV/net/eni10np1/operstate"
ln -s ../../../netdevsim10 "$DEV/net/eni10np1/device"
ln -s ../../devices/netdevsim10/net/eni10np1 "$SYS/class/net/eni10np1"
cat > "$WORK/config.yaml" <<YAML
version: 1
networks:
  - name: bench
    pfs: [eni10np1]
YAML
export SRIOVCTL_TEST_UNPROGRAMMED_VFS=1
SOCKET=$WORK/agent.sock
AGENT=(--config-file "$WORK/config.yaml" --sysfs-root "$SYS" --db "$WORK/agent.db")
DIRECT=(--config-file "$WORK/config.yaml" --sysfs-root "$SYS" --db "$WORK/direct.db" --direct)
"$BIN" agent "${AGENT[@]}" --agent-socket "$SOCKET" 2> "$WORK/agent.log" &
AGENT_PID=$!
for _ in $(seq 1 300); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || { cat "$WORK/agent.log"; echo "the agent did not start" >&2; exit 1; }

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }
agent=0; direct=0; api=0
for i in $(seq 1 "$ROUNDS"); do
    t=$(now_us); "$BIN" attach "a$i" --network bench --format json "${AGENT[@]}" --agent-socket "$SOCKET" > /dev/null 2>&1
    agent=$(( agent + $(now_us) - t ))
    t=$(now_us); "$BIN" attach "d$i" --network bench --format json "${DIRECT[@]}" > /dev/null 2>&1
    direct=$(( direct + $(now_us) - t ))
    t=$(now_us)
    curl -sS --fail --unix-socket "$SOCKET" -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"guest\": \"c$i\", \"network\": \"bench\"}" http://localhost/v1/attach
    api=$(( api + $(now_us) - t ))
done
leases=$("$BIN" leases --json "${AGENT[@]}" --direct | jq '.leases | length')
[ "$leases" = $((2 * ROUNDS)) ] || { echo "the agent's database has $leases leases, not $((2 * ROUNDS))" >&2; exit 1; }
awk -v a="$agent" -v d="$direct" -v c="$api" -v n="$ROUNDS" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
    printf "attach, mean of %d (load %s): CLI through the agent %.1f ms, CLI alone (--direct) %.1f ms, API alone (curl) %.1f ms\n",
        n, load, a / n / 1000, d / n / 1000, c / n / 1000
    printf "ratio: CLI through the agent / CLI alone %.2fx; API / CLI alone %.2fx\n", a / d, c / d
}'
