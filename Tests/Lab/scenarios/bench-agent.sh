# lab: machine=default expect=pass timeout=2400 bench=yes
# Benchmark (run only when named; nothing about speed is asserted). In one boot, with the
# agent running (docs/benchmarks.md, "The agent"):
#   1. change → repair: 100 MAC changes of a leased VF, p50/p90/p99/max until iproute2 shows
#      the leased MAC again (polled every ~20 ms);
#   2. the agent's CPU while idle for 60 s;
#   3. attach through the agent against the CLI alone, interleaved: `sriovctl attach` (which
#      goes through the agent), `sriovctl attach --direct`, and the API alone (curl);
#   4. programming 256 and 700 VFs through the API's bulk apply (POST /v1/pfs/PF/vfs) against
#      one `ip -batch`, interleaved, every run changing every VF (read back with vf show);
#   5. RSS after the first pass and after 1,000 more passes.
# Results: @@LAB-NOTE lines starting with "measured:".

PF=$(netdevsim_pf 26 8)
$IP link set "$PF" up
ATTACH_PF=$(netdevsim_pf 28 64)
$IP link set "$ATTACH_PF" up
mkdir -p /etc/sriovctl
cat > /etc/sriovctl/config.yaml <<CONFIG
version: 1
pfs:
  - netdev: $PF
    num_vfs: 4
  - netdev: $ATTACH_PF
    num_vfs: 64
networks:
  - name: prod
    pfs: [$PF]
  - name: bench
    pfs: [$ATTACH_PF]
agent:
  settle_ms: 0
  flap_guard: {max_repairs: 1000, window: 60}
CONFIG
sriovctl provision > /dev/null
sriovctl attach web1 --network prod --format json > /tmp/web1.json
VF1=$(jqr /tmp/web1.json .vfIndex); MAC1=$(jqr /tmp/web1.json .mac)
agent_start
wait_for 30 "the agent's socket" test -S "$AGENT_SOCKET"
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$AGENT_PID/status"; }
rss0=$(rss_kb)

# percentile FILE P: the P-th percentile (nearest rank) of the numbers in FILE.
percentile() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { r = int((p * NR + 99) / 100); if (r < 1) r = 1; print v[r] }'; }

step "100 changes of a leased VF's MAC: time until iproute2 shows it restored"
: > /tmp/latencies
for i in $(seq 1 100); do
    $IP link set "$PF" vf "$VF1" mac "02:00:00:00:01:$(printf %02x "$i")"
    start=$(now_ms)
    until vf_has "$VF1" "link/ether $MAC1 "; do
        (( $(now_ms) - start < 30000 )) || fail "change $i not repaired within 30 s"
    done
    echo $(( $(now_ms) - start )) >> /tmp/latencies
    sleep 0.3
done
note "measured: change to repair (100 MAC changes, TCG): p50 $(percentile /tmp/latencies 50) ms, p90 $(percentile /tmp/latencies 90) ms, p99 $(percentile /tmp/latencies 99) ms, max $(percentile /tmp/latencies 100) ms"

step "Idle for 60 s: CPU"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$AGENT_PID/stat"; }
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)
t0=$(cpu_ticks); sleep 60; t1=$(cpu_ticks)
note "measured: idle CPU over 60 s: $(( (t1 - t0) * 1000 / hz )) ms"

step "Attach: through the agent (CLI), the CLI alone (--direct), the API alone (curl); 20 rounds, interleaved"
ROUNDS=20
agent_ms=0; direct_ms=0; api_ms=0
for i in $(seq 1 $ROUNDS); do
    t=$(now_ms); sriovctl attach "a$i" --network bench --format json > /tmp/a.json; agent_ms=$(( agent_ms + $(now_ms) - t ))
    t=$(now_ms); sriovctl attach "d$i" --network bench --format json --direct > /tmp/d.json; direct_ms=$(( direct_ms + $(now_ms) - t ))
    t=$(now_ms)
    status=$(curl -sS --unix-socket "$AGENT_SOCKET" -o /tmp/c.json -w '%{http_code}' -H 'Content-Type: application/json' \
        -d "{\"guest\": \"c$i\", \"network\": \"bench\"}" http://localhost/v1/attach)
    api_ms=$(( api_ms + $(now_ms) - t ))
    assert_eq "API attach c$i" 200 "$status"
    for g in a d c; do
        mac=$(jqr /tmp/$g.json .mac); vf=$(jqr /tmp/$g.json .vfIndex)
        assert_eq "$g$i's MAC on VF $vf (iproute2)" "$mac" "$(ip_vf "$ATTACH_PF" "$vf" .address)"
    done
done
note "measured: attach, mean of $ROUNDS: CLI through the agent $(( agent_ms / ROUNDS )) ms, CLI alone (--direct) $(( direct_ms / ROUNDS )) ms, API alone (curl) $(( api_ms / ROUNDS )) ms"
note "measured: attach ratio, CLI through the agent / CLI alone: $(awk -v a=$agent_ms -v d=$direct_ms 'BEGIN { printf "%.2f", a / d }')x; API / CLI alone: $(awk -v a=$api_ms -v d=$direct_ms 'BEGIN { printf "%.2f", a / d }')x"

# bulk N ID ROUNDS: N VFs on a new netdevsim PF (not in the config: the agent leaves it alone),
# programmed through the API's bulk apply and with one ip -batch, alternately, every run
# changing every VF (two variants); each result read back with iproute2.
bulk() {
    local n=$1 id=$2 rounds=$3 pf v vf
    pf=$(netdevsim_pf "$id" "$n")
    netdevsim_set_vfs "$pf" "$n"
    $IP link set "$pf" up
    for v in 0 1; do
        : > /tmp/bulk$v.jsonl; : > /tmp/bulk$v.ip
        for ((vf = 0; vf < n; vf++)); do
            mac=$(printf '02:%02x:%02x:00:%02x:%02x' $((v + 1)) $((id)) $((vf / 256)) $((vf % 256)))
            printf '{"vf": %d, "mac": "%s", "vlan": %d}\n' $vf "$mac" $((vf + 1 + v * 1000)) >> /tmp/bulk$v.jsonl
            printf 'link set dev %s vf %d mac %s vlan %d\n' "$pf" $vf "$mac" $((vf + 1 + v * 1000)) >> /tmp/bulk$v.ip
        done
        jq -s -c '{vfs: .}' /tmp/bulk$v.jsonl > /tmp/bulk$v.json
        jq -r '"\(.vf) \(.mac) \(.vlan)"' /tmp/bulk$v.jsonl > /tmp/bulk$v.want
    done
    note "bulk apply body for $n VFs: $(wc -c < /tmp/bulk0.json) bytes"
    # iproute2 shows only the VFs that fit its receive buffer (34 of 256 here): read back with
    # sriovctl vf show (direct, not through the agent), as bench-netlink does.
    readback() { sriovctl vf show "$pf" --json | jq -r '.vfs[] | "\(.index) \(.mac) \(.vlans[0].id)"'; }
    local api=0 batch=0 r t status
    for ((r = 0; r < rounds; r++)); do
        t=$(now_ms)
        status=$(curl -sS --unix-socket "$AGENT_SOCKET" -o /tmp/bulk.out -w '%{http_code}' -H 'Content-Type: application/json' \
            --data-binary @/tmp/bulk$((r % 2)).json "http://localhost/v1/pfs/$pf/vfs")
        api=$(( api + $(now_ms) - t ))
        [ "$status" = 200 ] || { cat /tmp/bulk.out; fail "bulk apply of $n VFs: HTTP $status"; }
        assert_eq "$n VFs after the API's bulk apply (vf show)" "$(cat /tmp/bulk$((r % 2)).want)" "$(readback)"
        t=$(now_ms)
        $IP -batch /tmp/bulk$(( (r + 1) % 2 )).ip
        batch=$(( batch + $(now_ms) - t ))
        assert_eq "$n VFs after ip -batch (vf show)" "$(cat /tmp/bulk$(( (r + 1) % 2 )).want)" "$(readback)"
    done
    note "measured: $n VFs (MAC + VLAN), mean of $rounds: API bulk apply $(( api / rounds )) ms, ip -batch $(( batch / rounds )) ms, ratio $(awk -v a=$api -v b=$batch 'BEGIN { printf "%.2f", a / b }')x"
}

step "The HTTP client's own cost: curl GET /v1/health (20 runs)"
t=$(now_ms)
for i in $(seq 1 20); do
    curl -sS --unix-socket "$AGENT_SOCKET" -o /dev/null http://localhost/v1/health
done
note "measured: curl GET /v1/health (curl's start, connect, a request that does nothing), mean of 20: $(( ($(now_ms) - t) / 20 )) ms"

step "256 VFs: the API's bulk apply against ip -batch (20 rounds, interleaved)"
bulk 256 29 20
step "700 VFs: the API's bulk apply against ip -batch (10 rounds, interleaved)"
bulk 700 30 10

step "1,000 passes (one alias change each): RSS"
rss1=$(rss_kb)
for i in $(seq 1 1000); do
    n=$(agent_passes)
    $IP link set dev "$PF" alias "bench$i"
    until [ "$(agent_passes)" != "$n" ]; do sleep 0.02; done
    [ "$i" = 500 ] && rss500=$(rss_kb)
done
rss2=$(rss_kb)
note "measured: RSS after the first pass ${rss0} kB, before the 1,000 passes ${rss1} kB, after 500 ${rss500} kB, after 1,000 ${rss2} kB ($(agent_passes) passes in all)"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
