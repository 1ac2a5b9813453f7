# lab: machine=default expect=pass timeout=300
# A VF someone keeps changing (its MAC, every 100 ms for 20 s): the agent repairs it a few
# times, then gives up with an error line instead of fighting, GET /metrics (curl on the
# agent's socket) shows it by PF and VF, and its CPU use stays low (measured from
# /proc/PID/stat over the 20 s).

# A stream of events that never settles makes a pass every max_delay_ms (1 s here, 5 s by
# default): that alone caps the fight; the flap guard then stops it.
step "A netdevsim PF with 4 VFs, one guest, the agent with a flap guard of 3 repairs in 10 s"
agent_netdevsim_host 24 8 4 --agent 'max_delay_ms: 1000' --agent 'flap_guard: {max_repairs: 3, window: 10, hold_off: 300}'
agent_attach web1; VF1=$VF; MAC1=$MAC
agent_start
agent_metrics > /tmp/metrics-before.txt
GIVE_UPS="sriovctl_flap_give_ups_total{pf=\"netdevsim24\",vf=\"$VF1\"}"
LEFT_ALONE="sriovctl_flap_left_alone{pf=\"netdevsim24\",vf=\"$VF1\"}"
assert_eq "$GIVE_UPS before the flapping (no sample)" "" "$(metric_value /tmp/metrics-before.txt "$GIVE_UPS")"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$AGENT_PID/stat"; }
hz=$(getconf CLK_TCK 2>/dev/null || echo 100)

step "VF $VF1's MAC changed every 100 ms for 20 s"
ticks0=$(cpu_ticks); start=$(now_ms)
i=0
while (( $(now_ms) - start < 20000 )); do
    i=$((i + 1))
    $IP link set "$PF" vf "$VF1" mac "02:00:00:00:$(printf %02x $((i / 256 % 256))):$(printf %02x $((i % 256)))"
    sleep 0.1
done
ticks1=$(cpu_ticks); wall=$(( $(now_ms) - start ))
cpu_ms=$(( (ticks1 - ticks0) * 1000 / hz ))
note "measured: $i changes in ${wall} ms; agent CPU ${cpu_ms} ms = $(( cpu_ms * 100 / wall ))% of one CPU"
show grep -E "giving up|repaired mac" "$AGENT_LOG"
grep -q "giving up on $PF (netdevsim24) VF $VF1: repaired 3 times in 10 s" "$AGENT_LOG" ||
    fail "no 'giving up' line for VF $VF1"
repairs=$(grep -c "repaired mac of $PF (netdevsim24) VF $VF1 " "$AGENT_LOG" || true)
note "measured: repairs before giving up: $repairs"
(( repairs <= 4 )) || fail "$repairs repairs of a flapping VF (flap guard: 3 in 10 s)"
(( cpu_ms * 100 / wall <= 50 )) || fail "the agent used ${cpu_ms} ms of CPU in ${wall} ms while a VF flapped"
agent_alive || fail "the agent died"

step "GET /metrics: the flap guard gave up on VF $VF1 of netdevsim24, which stays drifted"
agent_metrics > /tmp/metrics.txt
show grep -E '^sriovctl_(flap|vfs|repairs_total)' /tmp/metrics.txt
assert_eq "$GIVE_UPS" 1 "$(metric_value /tmp/metrics.txt "$GIVE_UPS")"
assert_eq "$LEFT_ALONE" 1 "$(metric_value /tmp/metrics.txt "$LEFT_ALONE")"
assert_eq "mac repairs of netdevsim24 (metric = log lines)" "$repairs" \
    "$(metric_value /tmp/metrics.txt 'sriovctl_repairs_total{pf="netdevsim24",field="mac"}')"
for state in assigned:1 free:3 stale:0 drifted:1; do
    assert_eq "sriovctl_vfs netdevsim24 ${state%:*}" "${state#*:}" \
        "$(metric_value /tmp/metrics.txt "sriovctl_vfs{pf=\"netdevsim24\",state=\"${state%:*}\"}")"
done

step "A change on another VF is still repaired"
agent_attach web2; VF2=$VF; MAC2=$MAC
$IP link set "$PF" vf "$VF2" mac 02:00:00:00:77:77
measure 30 "another VF repaired while VF $VF1 is left alone" vf_has "$VF2" "link/ether $MAC2 "
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
