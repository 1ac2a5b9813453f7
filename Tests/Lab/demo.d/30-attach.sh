# Demo step: stable guest MACs and one-command attachment (issue 5). Sourced by the lab's demo.
step "Guests get a VF and a MAC that stays theirs: attach, detach, attach again"
ATTACH_PF=$(netdevsim_pf 30 4)
netdevsim_set_vfs "$ATTACH_PF" 4 >/dev/null
$IP link set "$ATTACH_PF" up
cat > /tmp/demo-attach.yaml <<YAML
networks:
  - name: prod
    pfs: [$ATTACH_PF]
    vlan: 100
    exclude_vfs: { $ATTACH_PF: [0] }
mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
YAML
demo_attach() { sriovctl "$@" --config-file /tmp/demo-attach.yaml --db /tmp/demo-attach.db; }
# attach GUEST ...: the JSON result, shortened (netdevsim VFs have no PCI address, so no XML).
attach() {
    demo_attach attach "$@" --format json | jq -c '{guest, mac, vf: .vfIndex, outcome, programmed}'
}
show attach web1 --network prod
assert_contains "web1's MAC" "$LAB_LAST_OUTPUT" '"mac":"02:5a:00:00:00:00"'
show attach db1 --network prod --trust on --max-rate 1000
show $IP link show "$ATTACH_PF"
assert_eq "web1's VF 1 as iproute2 shows it" "02:5a:00:00:00:00 100" "$(ip_vf "$ATTACH_PF" 1 '"\(.address) \(.vlan_list[0].vlan)"')"
assert_eq "db1's VF 2 as iproute2 shows it" "02:5a:00:00:00:01 true 1000" "$(ip_vf "$ATTACH_PF" 2 '"\(.address) \(.trust) \(.rate.max_tx)"')"
note "attaching again sends nothing; detach keeps the lease; the next attach gives db1 the same MAC"
show attach web1 --network prod
assert_contains "attaching again" "$LAB_LAST_OUTPUT" '"outcome":"unchanged"'
show demo_attach detach db1 --network prod
assert_eq "db1's VF after detach (iproute2)" "00:00:00:00:00:00" "$(ip_vf "$ATTACH_PF" 2 .address)"
show attach db1 --network prod
assert_contains "db1 gets its MAC back" "$LAB_LAST_OUTPUT" '"mac":"02:5a:00:00:00:01"'
note "bad input is refused before anything changes"
show demo_attach attach web2 --network prod --mac 02:5a:00:00:00:00 || true
assert_contains "a taken MAC is refused" "$LAB_LAST_OUTPUT" "leased to guest 'web1'"
show demo_attach attach web2 --network prod --vlan 5 --virtualport 802.1Qbh --profile p1 || true
show demo_attach leases
assert_not_contains "web2 got nothing" "$LAB_LAST_OUTPUT" "web2"
