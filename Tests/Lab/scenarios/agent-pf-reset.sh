# lab: machine=default expect=pass timeout=300
# `sriovctl agent` heals a PF reset: the netdevsim device deleted and created again (VFs and
# their settings gone, as after a driver reload or hot-plug) gets its configured VF count and
# every leased MAC back; `sriov_numvfs` written to 0 by hand gets its VFs recreated and
# programmed. Checked with iproute2 and sysfs; each time is printed.

step "A netdevsim PF with 4 VFs, two guests attached, the agent running"
agent_netdevsim_host 22 8 4 --pf 'vf_defaults: {spoofchk: true}' --network 'vlan: 100'
agent_attach web1; VF1=$VF; MAC1=$MAC
agent_attach web2; VF2=$VF; MAC2=$MAC
agent_start

leased_back() { vf_has "$VF1" "link/ether $MAC1 " && vf_has "$VF2" "link/ether $MAC2 " && vf_has "$VF1" "vlan 100,"; }
leased_back_jq() {
    assert_eq "web1's MAC (ip -j)" "$MAC1" "$(ip_vf "$PF" "$VF1" .address)"
    assert_eq "web2's MAC (ip -j)" "$MAC2" "$(ip_vf "$PF" "$VF2" .address)"
    assert_eq "web1's VLAN (ip -j)" 100 "$(ip_vf "$PF" "$VF1" '.vlan_list[0].vlan')"
}

step "sriov_numvfs written to 0 by hand"
echo 0 > "/sys/class/net/$PF/device/sriov_numvfs"
measure 60 "VFs recreated and leased MACs back after sriov_numvfs=0" leased_back
leased_back_jq
# netdevsim keeps its VFs' settings across sriov_numvfs 0 -> N (they live with the device),
# so here the agent's part is the count; the re-created device below starts from nothing.
assert_contains "the agent re-created the VFs" "$(grep 'repaired num_vfs' "$AGENT_LOG")" "sriov_numvfs 0 → 4"
assert_eq "sriov_numvfs" 4 "$(cat "/sys/class/net/$PF/device/sriov_numvfs")"

step "The device deleted and created again (a PF reset / hot-plug)"
echo 22 > /sys/bus/netdevsim/del_device
start=$(now_ms)
echo "22 1" > /sys/bus/netdevsim/new_device
wait_for 10 "the netdev again" _lab_has_netdev /sys/bus/netdevsim/devices/netdevsim22
echo 8 > /sys/kernel/debug/netdevsim/netdevsim22/max_vfs
NEWPF=$(ls /sys/bus/netdevsim/devices/netdevsim22/net | sed -n 1p)
assert_eq "netdev name after re-creation" "$PF" "$NEWPF"
$IP link set "$PF" up
measure 60 "configured VF count and every leased MAC back after the device came back" leased_back
note "measured: from device re-creation: $(( $(now_ms) - start )) ms"
leased_back_jq
assert_eq "sriov_numvfs" 4 "$(cat "/sys/class/net/$PF/device/sriov_numvfs")"
show $IP link show "$PF"
show grep -E "repaired" "$AGENT_LOG"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
