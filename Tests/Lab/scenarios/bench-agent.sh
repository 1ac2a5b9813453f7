# lab: machine=default expect=pass timeout=600 bench=yes
# Benchmark (run only when named): the agent's time from a change to its repair (30 MAC
# changes on a leased VF, p50/p90/max as iproute2 sees it, polled every ~20 ms), its CPU while
# idle for 60 s, and its RSS after 200 passes compared with after its first pass.

PF=$(netdevsim_pf 26 8)
$IP link set "$PF" up
mkdir -p /etc/sriovctl
cat > /etc/sriovctl/config.yaml <<CONFIG
version: 1
pfs:
  - netdev: $PF
    num_vfs: 4
networks:
  - name: prod
    pfs: [$PF]
agent:
  settle_ms: 0
  flap_guard: {max_repairs: 1000, window: 60}
CONFIG
sriovctl provision > /dev/null
sriovctl attach web1 --network prod --format json > /tmp/web1.json
VF1=$(jqr /tmp/web1.json .vfIndex); MAC1=$(jqr /tmp/web1.json .mac)
agent_start
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$AGENT_PID/status"; }
rss0=$(rss_kb)

step "30 changes of a leased VF's MAC: time until iproute2 shows it restored"
: > /tmp/latencies
for i in $(seq 1 30); do
    $IP link set "$PF" vf "$VF1" mac "02:00:00:00:01:$(printf %02x "$i")"
    start=$(now_ms)
    until vf_has "$VF1" "link/ether $MAC1 "; do
        (( $(now_ms) - start < 30000 )) || fail "change $i not repaired within 30 s"
    done
    echo $(( $(now_ms) - start )) >> /tmp/latencies
    sleep 0.3
done
sort -n /tmp/latencies > /tmp/latencies.sorted
p50=$(sed -n 15p /tmp/latencies.sorted); p90=$(sed -n 27p /tmp/latencies.sorted); max=$(sed -n 30p /tmp/latencies.sorted)
note "measured: change to repair (30 MAC changes, TCG): p50 ${p50} ms, p90 ${p90} ms, max ${max} ms"

step "Idle for 60 s: CPU"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$AGENT_PID/stat"; }
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
t0=$(cpu_ticks); sleep 60; t1=$(cpu_ticks)
note "measured: idle CPU over 60 s: $(( (t1 - t0) * 1000 / hz )) ms"

step "200 passes (one alias change each): RSS"
for i in $(seq 1 200); do
    n=$(agent_passes)
    $IP link set dev "$PF" alias "bench$i"
    until [ "$(agent_passes)" != "$n" ]; do sleep 0.02; done
done
rss1=$(rss_kb)
note "measured: RSS after the first pass ${rss0} kB, after 200 more passes ${rss1} kB ($(agent_passes) passes in all)"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
