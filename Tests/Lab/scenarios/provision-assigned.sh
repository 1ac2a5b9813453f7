# lab: machine=default expect=pass timeout=240
# Changing a PF's VF count destroys every VF. With a VF assigned to a guest
# (`sriovctl attach`), `sriovctl provision` refuses, names the guest, and changes nothing;
# with --force it recreates the VFs and gives the guest's VF its MAC back.

step "A netdevsim PF with 4 VFs from the config, and a network on it"
PF=$(netdevsim_pf 12 16)
$IP link set "$PF" up
mkdir -p /etc/sriovctl
write_config() {
    cat > /etc/sriovctl/config.yaml <<CONFIG
version: 1
pfs:
  - netdev: $PF
    num_vfs: $1
    vf_defaults: {spoofchk: true, trust: false}
networks:
  - name: prod
    pfs: [$PF]
    vlan: 100
CONFIG
}
write_config 4
show sriovctl provision
assert_eq "$PF sriov_numvfs" 4 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"

step "Guest web1 gets a VF"
sriovctl attach web1 --network prod --format json > /tmp/attach.json
show jq -c '{guest, vfIndex, mac, outcome}' /tmp/attach.json
VF=$(jqr /tmp/attach.json .vfIndex)
MAC=$(jqr /tmp/attach.json .mac)
$IP -j link show "$PF" > /tmp/before.json
assert_json /tmp/before.json ".[0].vfinfo_list[] | select(.vf == $VF) | .address" "$MAC"

step "The config now asks for 6 VFs: refused while web1 holds VF $VF"
write_config 6
assert_fails sriovctl provision
show printf '%s\n' "$LAB_LAST_OUTPUT"
assert_contains "refusal" "$LAB_LAST_OUTPUT" "changing sriov_numvfs 4 → 6 destroys every VF, and VF $VF is assigned to web1; detach the guests first, or use --force"
assert_contains "refusal names the config line" "$LAB_LAST_OUTPUT" "/etc/sriovctl/config.yaml:3: PF $PF (netdevsim12)"
assert_eq "exit status" 1 "$LAB_LAST_STATUS"
assert_eq "$PF sriov_numvfs unchanged" 4 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"
$IP -j link show "$PF" > /tmp/after.json
assert_eq "ip -j link show $PF unchanged" "$(jq -c . /tmp/before.json)" "$(jq -c . /tmp/after.json)"
assert_fails sriovctl provision --dry-run
assert_contains "dry run shows the refusal too" "$LAB_LAST_OUTPUT" "VF $VF is assigned to web1"

step "Shrinking to 0 is refused the same way"
write_config 0
assert_fails sriovctl provision
assert_contains "refusal" "$LAB_LAST_OUTPUT" "changing sriov_numvfs 4 → 0 destroys every VF"
assert_eq "$PF sriov_numvfs unchanged" 4 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"

step "--force: the VFs are recreated and web1's VF gets its MAC back"
write_config 6
show sriovctl provision --force
assert_eq "$PF sriov_numvfs" 6 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"
$IP -j link show "$PF" > /tmp/forced.json
assert_jsons /tmp/forced.json ".[0].vfinfo_list[] | select(.vf == $VF)" <<CHECKS
.address => $MAC
.vlan_list[0].vlan => 100
CHECKS
out=$(sriovctl provision)
assert_eq "then nothing to do" "nothing to do: 1 PF already as configured" "$out"
