# Demo step: `sriovctl agent` heals a PF reset (issue 14). Sourced by the lab's demo.
step "sriovctl agent: a PF reset undoes every VF; the agent puts it all back"
AGENT_DEMO_PF=$(netdevsim_pf 50 8)
$IP link set "$AGENT_DEMO_PF" up
cat > /tmp/demo-agent.yaml <<YAML
pfs:
  - netdev: $AGENT_DEMO_PF
    num_vfs: 4
    vf_defaults: {spoofchk: true}
networks:
  - name: prod
    pfs: [$AGENT_DEMO_PF]
    vlan: 100
YAML
demo_agent() { sriovctl "$@" --config-file /tmp/demo-agent.yaml --db /tmp/demo-agent.db; }
demo_agent provision > /dev/null
demo_agent attach web1 --network prod --format json > /tmp/demo-agent-web1.json
demo_agent attach db1 --network prod --format json > /tmp/demo-agent-db1.json
note "web1 and db1 hold VFs of $AGENT_DEMO_PF; the agent starts and watches (kernel events + a pass every 60 s)"
agent_start --config-file /tmp/demo-agent.yaml --db /tmp/demo-agent.db
show $IP link show "$AGENT_DEMO_PF"
note "a PF reset, as a driver reload or hot-plug does it: the device goes away and comes back with no VFs"
show "echo 50 > /sys/bus/netdevsim/del_device"
show "echo '50 1' > /sys/bus/netdevsim/new_device"
wait_for 10 "netdevsim50 again" _lab_has_netdev /sys/bus/netdevsim/devices/netdevsim50
echo 8 > /sys/kernel/debug/netdevsim/netdevsim50/max_vfs
$IP link set "$AGENT_DEMO_PF" up
PF=$AGENT_DEMO_PF
measure 60 "the agent healed the PF reset" vf_has "$(jqr /tmp/demo-agent-db1.json .vfIndex)" "link/ether $(jqr /tmp/demo-agent-db1.json .mac) "
show grep -E "repaired|pass done" "$AGENT_LOG"
show $IP link show "$AGENT_DEMO_PF"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
