# lab: machine=default expect=pass timeout=180
# Every VF attribute set with `sriovctl vf set`, read back with `sriovctl vf show --json`
# and checked against iproute2's own view (`ip -j link show`), on a netdevsim PF with 8 VFs.

step "A netdevsim PF with 8 VFs"
PF=$(netdevsim_pf 1 8)
netdevsim_set_vfs "$PF" 8
$IP link set "$PF" up

# ipvf N FIELD: iproute2's value of FIELD for VF N.
ipvf() { $IP -j link show "$PF" | jq -r --argjson n "$1" ".[0].vfinfo_list[] | select(.vf == \$n) | $2"; }
# ourvf N FIELD: sriovctl's value.
ourvf() { sriovctl vf show "$PF" --json | jq -r --argjson n "$1" ".vfs[] | select(.index == \$n) | $2"; }

step "MAC"
show sriovctl vf set "$PF" 2 --mac 02:aa:bb:cc:dd:02
assert_eq "VF 2 MAC (sriovctl)" "02:aa:bb:cc:dd:02" "$(ourvf 2 .mac)"
assert_eq "VF 2 MAC (iproute2)" "02:aa:bb:cc:dd:02" "$(ipvf 2 .address)"

step "VLAN with QoS (802.1Q)"
show sriovctl vf set "$PF" 3 --vlan 100 --qos 5
assert_eq "VF 3 VLAN (sriovctl)" "100 5 802.1Q" "$(ourvf 3 '"\(.vlans[0].id) \(.vlans[0].qos) \(.vlans[0].proto)"')"
assert_eq "VF 3 VLAN (iproute2)" "100 5" "$(ipvf 3 '"\(.vlan_list[0].vlan) \(.vlan_list[0].qos)"')"

step "VLAN 802.1ad (protocol big-endian on the wire)"
show sriovctl vf set "$PF" 4 --vlan 200 --qos 1 --proto 802.1ad
assert_eq "VF 4 VLAN (sriovctl)" "200 1 802.1ad" "$(ourvf 4 '"\(.vlans[0].id) \(.vlans[0].qos) \(.vlans[0].proto)"')"
assert_eq "VF 4 protocol (iproute2)" "802.1ad" "$(ipvf 4 '.vlan_list[0].protocol')"

step "Spoof check and trust"
show sriovctl vf set "$PF" 5 --spoofchk off --trust on
assert_eq "VF 5 spoofchk (sriovctl)" "false" "$(ourvf 5 .spoofchk)"
assert_eq "VF 5 trust (sriovctl)" "true" "$(ourvf 5 .trust)"
assert_eq "VF 5 spoofchk (iproute2)" "false" "$(ipvf 5 .spoofchk)"
assert_eq "VF 5 trust (iproute2)" "true" "$(ipvf 5 .trust)"
show sriovctl vf set "$PF" 5 --spoofchk on --trust off
assert_eq "VF 5 spoofchk back on (iproute2)" "true" "$(ipvf 5 .spoofchk)"
assert_eq "VF 5 trust back off (iproute2)" "false" "$(ipvf 5 .trust)"

step "Link state"
for state in enable disable auto; do
    sriovctl vf set "$PF" 6 --link-state "$state"
    assert_eq "VF 6 link state (sriovctl)" "$state" "$(ourvf 6 .linkState)"
    assert_eq "VF 6 link state (iproute2)" "$state" "$(ipvf 6 .link_state)"
done

step "Rates: min and max, and each kept when only the other is set"
show sriovctl vf set "$PF" 7 --min-rate 100 --max-rate 1000
assert_eq "VF 7 rates (iproute2)" "100 1000" "$(ipvf 7 '"\(.rate.min_tx) \(.rate.max_tx)"')"
sriovctl vf set "$PF" 7 --max-rate 2000
assert_eq "VF 7 min kept (iproute2)" "100 2000" "$(ipvf 7 '"\(.rate.min_tx) \(.rate.max_tx)"')"
sriovctl vf set "$PF" 7 --min-rate 300
assert_eq "VF 7 max kept (sriovctl)" "300 2000" "$(ourvf 7 '"\(.minTxRate) \(.maxTxRate)"')"

step "Everything at once on VF 1, by PF netdev"
show sriovctl vf set "$PF" 1 --mac 02:00:00:00:01:01 --vlan 42 --qos 7 --trust on --spoofchk off \
    --link-state enable --min-rate 10 --max-rate 20
assert_eq "VF 1 (iproute2)" "02:00:00:00:01:01 42 7 true false enable 10 20" \
    "$(ipvf 1 '"\(.address) \(.vlan_list[0].vlan) \(.vlan_list[0].qos) \(.trust) \(.spoofchk) \(.link_state) \(.rate.min_tx) \(.rate.max_tx)"')"

step "sriovctl and iproute2 agree on every VF"
sriovctl vf show "$PF" --json > /tmp/ours.json
$IP -j link show "$PF" > /tmp/ip.json
assert_json /tmp/ours.json '.numVFs' 8
for n in 0 1 2 3 4 5 6 7; do
    ours=$(jq -r --argjson n "$n" '.vfs[] | select(.index == $n) | "\(.mac) \(.vlans[0].id) \(.vlans[0].qos) \(.trust) \(.spoofchk) \(.linkState) \(.minTxRate) \(.maxTxRate)"' /tmp/ours.json)
    theirs=$(jq -r --argjson n "$n" '.[0].vfinfo_list[] | select(.vf == $n) | "\(.address) \(.vlan_list[0].vlan // 0) \(.vlan_list[0].qos // 0) \(.trust) \(.spoofchk) \(.link_state) \(.rate.min_tx) \(.rate.max_tx)"' /tmp/ip.json)
    assert_eq "VF $n sriovctl vs iproute2" "$theirs" "$ours"
done

step "list shows the live settings next to sysfs"
show sriovctl list
sriovctl list --json > /tmp/list.json
assert_json /tmp/list.json ".pfs[] | select(.name == \"$PF\") | .vfs[] | select(.index == 2) | .live.mac" "02:aa:bb:cc:dd:02"
assert_json /tmp/list.json ".pfs[] | select(.name == \"$PF\") | .vfs[] | select(.index == 3) | .live.vlans[0].id" "100"
show sriovctl vf show "$PF"
