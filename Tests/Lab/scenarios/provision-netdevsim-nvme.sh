# lab: machine=default expect=pass timeout=240
# `sriovctl provision` from a config: a netdevsim PF (8 VFs, defaults and a per-VF
# override programmed over netlink) and QEMU's NVMe PF (4 VFs on vfio-pci). Then a second
# run changes nothing, says so, and leaves `ip -j link show` as it was.

step "A netdevsim NIC and QEMU's NVMe controller, no VFs yet"
PF=$(netdevsim_pf 11 16)
$IP link set "$PF" up
NVME=$(nvme_pf)
assert_eq "$NVME sriov_numvfs before" 0 "$(cat /sys/bus/pci/devices/$NVME/sriov_numvfs)"

mkdir -p /etc/sriovctl
cat > /etc/sriovctl/config.yaml <<CONFIG
version: 1
pfs:
  - netdev: $PF
    num_vfs: 8
    vf_defaults:
      spoofchk: false
      trust: false
      link_state: enable
      max_rate: 1000
    vfs:
      0:
        vlan: "100:3"
        vlan_proto: 802.1ad
        trust: true
      5:
        mac: "02:5a:00:00:05:05"
  - pci: "$NVME"
    num_vfs: 4
    drivers_autoprobe: false   # the host nvme driver would time out on QEMU's offline VFs
    vfio: true
CONFIG
show cat /etc/sriovctl/config.yaml

step "Dry run: the plan, and nothing changes"
show sriovctl provision --dry-run
assert_eq "$PF sriov_numvfs after dry run" 0 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"
assert_eq "$NVME sriov_numvfs after dry run" 0 "$(cat /sys/bus/pci/devices/$NVME/sriov_numvfs)"

step "Provision"
show sriovctl provision
assert_eq "$PF sriov_numvfs" 8 "$(cat /sys/class/net/$PF/device/sriov_numvfs)"
assert_eq "$NVME sriov_numvfs" 4 "$(cat /sys/bus/pci/devices/$NVME/sriov_numvfs)"
assert_eq "$NVME sriov_drivers_autoprobe" 0 "$(cat /sys/bus/pci/devices/$NVME/sriov_drivers_autoprobe)"
for i in 0 1 2 3; do
    vf=$(nvme_vf_addr $i)
    assert_eq "NVMe VF $i ($vf) driver" vfio-pci "$(pci_driver "$vf")"
    [ -e "/dev/vfio/$(iommu_group "$vf")" ] || fail "/dev/vfio/$(iommu_group "$vf") missing for $vf"
done

step "iproute2 sees what the config says"
$IP -j link show "$PF" > /tmp/after1.json
show $IP link show "$PF"
assert_jsons /tmp/after1.json '.[0].vfinfo_list' <<'CHECKS'
length => 8
.[] | select(.vf == 0) | .vlan_list[0].vlan => 100
.[] | select(.vf == 0) | .vlan_list[0].qos => 3
.[] | select(.vf == 0) | .vlan_list[0].protocol => 802.1ad
.[] | select(.vf == 0) | .trust => true
.[] | select(.vf == 5) | .address => 02:5a:00:00:05:05
[.[].spoofchk] | unique => [false]
[.[].link_state] | unique => ["enable"]
[.[].rate.max_tx] | unique => [1000]
[.[] | select(.vf != 0) | .trust] | unique => [false]
CHECKS

step "Run again: nothing to do, nothing changes"
out=$(sriovctl provision)
show echo "$out"
assert_eq "second run" "nothing to do: 2 PFs already as configured" "$out"
$IP -j link show "$PF" > /tmp/after2.json
assert_eq "ip -j link show $PF unchanged" "$(cat /tmp/after1.json)" "$(cat /tmp/after2.json)"
sriovctl provision --json > /tmp/again.json
assert_jsons /tmp/again.json <<'CHECKS'
.nothingToDo => true
.succeeded => true
.timings.netlinkRequests => 0
[.pfs[].status] => ["as-configured","as-configured"]
CHECKS

step "A VF changed behind our back is put back, and only that"
$IP link set "$PF" vf 3 trust on
show sriovctl provision
$IP -j link show "$PF" > /tmp/after3.json
assert_json /tmp/after3.json '.[0].vfinfo_list[] | select(.vf == 3) | .trust' false
assert_eq "other VFs untouched" "$(jq -c '.[0].vfinfo_list | del(.[3])' /tmp/after1.json)" "$(jq -c '.[0].vfinfo_list | del(.[3])' /tmp/after3.json)"
