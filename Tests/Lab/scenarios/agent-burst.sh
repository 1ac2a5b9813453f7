# lab: machine=default expect=pass timeout=300
# 1,000 link events in a burst (iproute2 changing the PF's alias 1,000 times in one -batch)
# make a handful of agent passes, not 1,000: counted from the agent's log ("pass done").

step "A netdevsim PF with 4 VFs and the agent running"
agent_netdevsim_host 23 8 4
agent_start
sleep 1
before=$(agent_passes)

step "1,000 link notifications for $PF"
for i in $(seq 1 1000); do echo "link set dev $PF alias burst$i"; done > /tmp/burst.batch
start=$(now_ms)
$IP -batch /tmp/burst.batch
sent=$(( $(now_ms) - start ))
note "measured: 1,000 alias changes sent in ${sent} ms"
# Settled: no new pass for 2 s.
settled() {
    local n; n=$(agent_passes)
    sleep 2
    [ "$(agent_passes)" = "$n" ]
}
measure 60 "the agent settled after the burst" settled
passes=$(( $(agent_passes) - before ))
note "measured: passes for 1,000 link events: $passes"
show grep "pass done" "$AGENT_LOG"
(( passes >= 1 )) || fail "no pass after 1,000 link events"
(( passes <= 10 )) || fail "$passes passes for one burst of 1,000 link events"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
