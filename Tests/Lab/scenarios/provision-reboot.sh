# lab: machine=default expect=pass timeout=300
# A simulated reboot: guests hold VFs (`sriovctl attach`), then the device is removed
# and created again (no VFs, no VF settings, as after a boot) and a fresh
# `sriovctl provision` runs: the VFs come back and every leased MAC, VLAN and setting is
# on its VF again (checked with iproute2). The state database is all that survives.

step "A netdevsim PF with 8 VFs and two networks on it"
PF=$(netdevsim_pf 13 16)
$IP link set "$PF" up
mkdir -p /etc/sriovctl
cat > /etc/sriovctl/config.yaml <<CONFIG
version: 1
pfs:
  - netdev: $PF
    num_vfs: 8
    vf_defaults: {spoofchk: true, trust: false, link_state: auto}
networks:
  - name: prod
    pfs: [$PF]
    vlan: 100
  - name: storage
    pfs: [$PF]
    exclude_vfs: {$PF: [0, 1]}
    vlan: "200:5"
    vlan_proto: 802.1ad
    vf_defaults: {trust: true, max_rate: 2000}
CONFIG
show sriovctl provision

step "Three guests attach"
sriovctl attach web1 --network prod --format json > /tmp/web1.json
sriovctl attach db1 --network storage --format json > /tmp/db1.json
sriovctl attach web2 --network prod --mac 02:5a:00:00:aa:01 --trust on --format json > /tmp/web2.json
show sriovctl leases
$IP -j link show "$PF" > /tmp/before.json
show $IP link show "$PF"
# "index mac vlan qos proto trust spoofchk max_rate" of every VF a guest holds.
leased() {
    jq -r --slurpfile a /tmp/web1.json --slurpfile b /tmp/db1.json --slurpfile c /tmp/web2.json \
        '.[0].vfinfo_list[] as $v | ($a + $b + $c)[] | select(.vfIndex == $v.vf)
         | "\($v.vf) \($v.address) \($v.vlan_list[0].vlan) \($v.vlan_list[0].qos // 0) \($v.vlan_list[0].protocol // "802.1Q") \($v.trust) \($v.spoofchk) \($v.rate.max_tx)"' "$1" | sort
}
leased /tmp/before.json > /tmp/leased-before
show cat /tmp/leased-before
assert_eq "three leased VFs" 3 "$(wc -l < /tmp/leased-before)"
assert_contains "db1's VF carries 802.1ad QoS 5 and the network's rate" "$(cat /tmp/leased-before)" " 200 5 802.1ad true true 2000"

step "Simulated reboot: the device and every VF are gone, then the device is back without VFs"
echo 13 > /sys/bus/netdevsim/del_device
OLD_PF=$PF
PF=$(netdevsim_pf 13 16)
$IP link set "$PF" up
assert_eq "netdev name after the reboot" "$OLD_PF" "$PF"
assert_eq "VFs after the reboot" 0 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"

step "sriovctl provision (a fresh process, as the boot service runs it)"
show sriovctl provision
assert_eq "$PF sriov_numvfs" 8 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"
$IP -j link show "$PF" > /tmp/after.json
show $IP link show "$PF"
leased /tmp/after.json > /tmp/leased-after
show cat /tmp/leased-after
assert_eq "every leased VF is as before the reboot" "$(cat /tmp/leased-before)" "$(cat /tmp/leased-after)"
assert_eq "ip -j link show $PF as before the reboot" "$(jq -c '.[0].vfinfo_list' /tmp/before.json)" "$(jq -c '.[0].vfinfo_list' /tmp/after.json)"

step "And again: nothing to do"
out=$(sriovctl provision)
assert_eq "second run" "nothing to do: 1 PF already as configured" "$out"

step "The libvirt hook's mode: only web2's VF, after something reset it"
VF2=$(jqr /tmp/web2.json .vfIndex)
$IP link set "$PF" vf "$VF2" trust off vlan 0
show sriovctl provision --guest web2
$IP -j link show "$PF" > /tmp/hook.json
assert_eq "web2's VF restored" "$(jq -c ".[0].vfinfo_list[] | select(.vf == $VF2)" /tmp/before.json)" "$(jq -c ".[0].vfinfo_list[] | select(.vf == $VF2)" /tmp/hook.json)"
