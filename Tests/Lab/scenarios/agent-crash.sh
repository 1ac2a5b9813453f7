# lab: machine=default expect=pass timeout=300
# kill -9 of the agent in the middle of a pass (re-creating and programming 32 VFs after the
# netdevsim device was deleted and created again: a PF reset), then a restart: the new agent's first pass converges (VF count and
# every leased MAC back, checked with iproute2), and the operation lock the killed agent held
# is free again (a command runs at once).

step "A netdevsim PF with 32 VFs, four guests attached, the agent running"
agent_netdevsim_host 25 64 32 --pf 'vf_defaults: {spoofchk: true, trust: false}' --network 'vlan: 100'
for g in g1 g2 g3 g4; do agent_attach "$g"; done
agent_start

step "A PF reset; the agent is killed with SIGKILL while it re-creates and programs the VFs"
echo 25 > /sys/bus/netdevsim/del_device
echo "25 1" > /sys/bus/netdevsim/new_device
echo 64 > /sys/kernel/debug/netdevsim/netdevsim25/max_vfs
wait_for 10 "the netdev again" _lab_has_netdev /sys/bus/netdevsim/devices/netdevsim25
$IP link set "$PF" up
# A busy loop with bash's own `read` (no fork): SIGKILL the moment sriov_numvfs is non-zero,
# before the new VFs are programmed.
numvfs_file=/sys/bus/netdevsim/devices/netdevsim25/sriov_numvfs
deadline=$(( $(now_ms) + 30000 ))
while read -r n < "$numvfs_file" && [ "$n" = 0 ]; do
    (( $(now_ms) < deadline )) || fail "the agent did not re-create the VFs within 30 s"
done
kill -9 "$AGENT_PID"
wait "$AGENT_PID" || true
programmed=0
for g in g1 g2 g3 g4; do
    vf_has "$(jqr "/tmp/$g.json" .vfIndex)" "link/ether $(jqr "/tmp/$g.json" .mac) " && programmed=$((programmed + 1))
done
note "at the kill: sriov_numvfs $(cat "/sys/class/net/$PF/device/sriov_numvfs"), $programmed of 4 leased MACs programmed"

step "Restart: the first pass converges"
start=$(now_ms)
agent_start
note "measured: restart to converged first pass: $(( $(now_ms) - start )) ms"
assert_eq "sriov_numvfs" 32 "$(cat "/sys/class/net/$PF/device/sriov_numvfs")"
$IP -j link show "$PF" > /tmp/after.json
for g in g1 g2 g3 g4; do
    vf=$(jqr "/tmp/$g.json" .vfIndex); mac=$(jqr "/tmp/$g.json" .mac)
    assert_eq "$g's VF $vf MAC (ip -j)" "$mac" "$(jq -r ".[0].vfinfo_list[] | select(.vf == $vf) | .address" /tmp/after.json)"
done
start=$(now_ms)
out=$(sriovctl provision)
note "measured: a provision right after the restart took $(( $(now_ms) - start )) ms (the lock is free)"
assert_eq "provision after the agent converged" "nothing to do: 1 PF already as configured" "$out"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
