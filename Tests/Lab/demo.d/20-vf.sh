# Demo step: read and program VFs over rtnetlink (sourced by the lab's demo).
step "VFs over rtnetlink: show, set, batch, and a PF with 256 VFs"
DEMO_PF=$(netdevsim_pf 20 256)
netdevsim_set_vfs "$DEMO_PF" 8
show sriovctl vf set "$DEMO_PF" 1 --mac 02:00:00:00:00:01 --vlan 100 --qos 3 --trust on --spoofchk off
show sriovctl vf set "$DEMO_PF" 2 --vlan 200 --proto 802.1ad --link-state enable --max-rate 1000
show sriovctl vf show "$DEMO_PF"
assert_eq "VF 1 as iproute2 shows it" "02:00:00:00:00:01 100 3 true false" \
    "$(ip_vf "$DEMO_PF" 1 '"\(.address) \(.vlan_list[0].vlan) \(.vlan_list[0].qos) \(.trust) \(.spoofchk)"')"
assert_eq "VF 2 as iproute2 shows it" "200 802.1ad enable 1000" \
    "$(ip_vf "$DEMO_PF" 2 '"\(.vlan_list[0].vlan) \(.vlan_list[0].protocol) \(.link_state) \(.rate.max_tx)"')"
note "a bad value is refused before anything is sent:"
show sriovctl vf set "$DEMO_PF" 9 --trust on || true
assert_contains "VF 9 refused" "$LAB_LAST_OUTPUT" "no such VF (PF has 8 VFs)"
show sriovctl vf set "$DEMO_PF" 1 --mac 01:00:5e:00:00:01 || true
assert_contains "multicast refused" "$LAB_LAST_OUTPUT" "multicast"
assert_eq "VF 1 MAC unchanged (iproute2)" "02:00:00:00:00:01" "$(ip_vf "$DEMO_PF" 1 .address)"
note "256 VFs in one request; iproute2 truncates the list, sriovctl reads them all"
echo 0 > "/sys/class/net/$DEMO_PF/device/sriov_numvfs"
netdevsim_set_vfs "$DEMO_PF" 256
for ((n = 0; n < 256; n++)); do
    printf '{"vf": %d, "mac": "02:00:00:01:%02x:%02x", "vlan": %d}\n' $n $((n / 256)) $((n % 256)) $((n + 1))
done > /tmp/demo-vfs.jsonl
show sriovctl vf apply "$DEMO_PF" --file /tmp/demo-vfs.jsonl
demo_ip_vfs() {
    local out
    out=$($IP link show "$DEMO_PF" 2>&1)
    echo "iproute2 lists $(printf '%s\n' "$out" | grep -c ' vf ') of 256 VFs"
    printf '%s\n' "$out" | grep -i truncated || true
}
demo_our_vfs() { echo "sriovctl lists $(sriovctl vf show "$DEMO_PF" --json | jq '.vfs | length') VFs"; }
show demo_ip_vfs
show demo_our_vfs
assert_contains "sriovctl reads all 256" "$LAB_LAST_OUTPUT" "sriovctl lists 256 VFs"
assert_eq "VF 5 as iproute2 shows it (one it can show)" "02:00:00:01:00:05 6" \
    "$(ip_vf "$DEMO_PF" 5 '"\(.address) \(.vlan_list[0].vlan)"' 2>/dev/null)"
