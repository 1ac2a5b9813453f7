# Demo step: boot-time provisioning from /etc/sriovctl/config.yaml (sourced by the lab's demo).
step "Boot-time provisioning: VFs and their settings from a declarative config"
DEMO_PROV_PF=$(netdevsim_pf 15 16)
$IP link set "$DEMO_PROV_PF" up
DEMO_PROV_CONFIG=/tmp/demo-provision.yaml
cat > "$DEMO_PROV_CONFIG" <<CONFIG
version: 1
pfs:
  - netdev: $DEMO_PROV_PF
    num_vfs: 4
    vf_defaults:
      spoofchk: true
      trust: false
      link_state: auto
    vfs:
      1:
        vlan: "100:3"
        vlan_proto: 802.1ad
        trust: true
CONFIG
show cat "$DEMO_PROV_CONFIG"
show sriovctl provision --config-file "$DEMO_PROV_CONFIG" --dry-run
show sriovctl provision --config-file "$DEMO_PROV_CONFIG"
show $IP link show "$DEMO_PROV_PF"
assert_eq "$DEMO_PROV_PF sriov_numvfs" 4 "$(cat /sys/class/net/$DEMO_PROV_PF/device/sriov_numvfs)"
assert_eq "VF 1 as iproute2 shows it" "100 3 802.1ad true" \
    "$(ip_vf "$DEMO_PROV_PF" 1 '"\(.vlan_list[0].vlan) \(.vlan_list[0].qos) \(.vlan_list[0].protocol) \(.trust)"')"
assert_eq "VF 2 spoof checking (a default)" true "$(ip_vf "$DEMO_PROV_PF" 2 .spoofchk)"
note "run it again (as the boot service would): nothing to do"
show sriovctl provision --config-file "$DEMO_PROV_CONFIG"
assert_contains "second run" "$LAB_LAST_OUTPUT" "nothing to do"
note "a mistake in the config is refused with its file:line, before anything changes"
printf 'pfs:\n  - netdev: %s\n    num_vfs: 4\n    trsut: true\n' "$DEMO_PROV_PF" > /tmp/demo-bad.yaml
show sriovctl provision --config-file /tmp/demo-bad.yaml || true
assert_contains "the refusal names file, line and key" "$LAB_LAST_OUTPUT" "/tmp/demo-bad.yaml:4"
assert_contains "the refusal names the key" "$LAB_LAST_OUTPUT" "trsut"
