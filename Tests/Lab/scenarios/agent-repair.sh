# lab: machine=default expect=pass timeout=300
# `sriovctl agent` keeps leased VFs as the database says, checked with iproute2 (ip_vf),
# never with sriovctl: a leased VF's MAC, VLAN and trust changed by hand come back; a leased
# MAC put on a free VF by hand is cleared; SIGHUP with a broken config keeps the agent
# running and names file:line:key; SIGTERM ends it within 2 s. Each repair's time is printed.

step "A netdevsim PF with 4 VFs, a network on it, two guests attached"
agent_netdevsim_host 21 8 4 --pf 'vf_defaults: {spoofchk: true, trust: false}' --network 'vlan: 100'
agent_attach web1; VF1=$VF; MAC1=$MAC
agent_attach web2 --trust on; VF2=$VF; MAC2=$MAC
show $IP link show "$PF"

step "The agent starts"
agent_start

step "web1's MAC changed by hand: restored"
$IP link set "$PF" vf "$VF1" mac 02:00:00:00:00:99
measure 30 "leased MAC restored after 'ip link set vf mac'" vf_has "$VF1" "link/ether $MAC1 "
assert_eq "web1's MAC (ip -j)" "$MAC1" "$(ip_vf "$PF" "$VF1" .address)"

step "web1's VLAN changed by hand: restored"
$IP link set "$PF" vf "$VF1" vlan 42
measure 30 "leased VLAN restored after 'ip link set vf vlan'" vf_has "$VF1" "vlan 100,"
assert_eq "web1's VLAN (ip -j)" 100 "$(ip_vf "$PF" "$VF1" '.vlan_list[0].vlan')"

step "web2's trust turned off by hand: restored"
$IP link set "$PF" vf "$VF2" trust off
measure 30 "leased trust restored after 'ip link set vf trust off'" vf_has "$VF2" "trust on"
assert_eq "web2's trust (ip -j)" true "$(ip_vf "$PF" "$VF2" .trust)"

step "web1's MAC put on a free VF by hand: cleared"
FREE=$(for i in 0 1 2 3; do [ "$i" != "$VF1" ] && [ "$i" != "$VF2" ] && echo "$i" && break; done)
$IP link set "$PF" vf "$FREE" mac "$MAC1"
measure 30 "leased MAC cleared from free VF $FREE" vf_has "$FREE" "link/ether 00:00:00:00:00:00 "
assert_eq "free VF $FREE's MAC (ip -j)" 00:00:00:00:00:00 "$(ip_vf "$PF" "$FREE" .address)"
assert_eq "web1's VF keeps its MAC" "$MAC1" "$(ip_vf "$PF" "$VF1" .address)"
show grep -E "repaired|giving up" "$AGENT_LOG"
assert_contains "the log names the change, PF, VF, guest, old and new values and the trigger" \
    "$(cat "$AGENT_LOG")" "repaired mac of $PF (netdevsim21) VF $VF1 (guest web1): 02:00:00:00:00:99 → $MAC1 [trigger event]"
journal=$(cat /var/lib/sriovctl/state.db /var/lib/sriovctl/state.db-wal 2>/dev/null | grep -a -c "agent-repair" || true)
assert_ne "agent-repair entries in the state database's bytes" 0 "$journal"

step "SIGHUP with a broken config: the agent keeps running and names the error"
cp /etc/sriovctl/config.yaml /tmp/config.good
printf 'version: 1\nagent:\n  full_pass_interval: soon\n' > /etc/sriovctl/config.yaml
start=$(now_ms)
kill -HUP "$AGENT_PID"
measure 20 "SIGHUP error logged" grep -q "config not reloaded" "$AGENT_LOG"
show grep "config not reloaded" "$AGENT_LOG"
assert_contains "the error names file:line:key" "$(grep 'config not reloaded' "$AGENT_LOG")" \
    "/etc/sriovctl/config.yaml:3: agent.full_pass_interval:"
agent_alive || fail "the agent died after SIGHUP with a broken config"
$IP link set "$PF" vf "$VF1" mac 02:00:00:00:00:98
measure 30 "leased MAC restored with the old config still in force" vf_has "$VF1" "link/ether $MAC1 "

step "SIGTERM: the agent exits within 2 s"
cp /tmp/config.good /etc/sriovctl/config.yaml
start=$(now_ms)
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" && status=0 || status=$?
elapsed=$(( $(now_ms) - start ))
note "measured: exit after SIGTERM: ${elapsed} ms (status $status)"
assert_eq "exit status after SIGTERM" 0 "$status"
(( elapsed <= 2000 )) || fail "the agent took ${elapsed} ms to exit after SIGTERM"
