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
note "run it again (as the boot service would): nothing to do"
show sriovctl provision --config-file "$DEMO_PROV_CONFIG"
note "a mistake in the config is refused with its file:line, before anything changes"
printf 'pfs:\n  - netdev: %s\n    num_vfs: 4\n    trsut: true\n' "$DEMO_PROV_PF" > /tmp/demo-bad.yaml
show sriovctl provision --config-file /tmp/demo-bad.yaml || true
