# lab: machine=default expect=pass timeout=120
# QEMU's NVMe SR-IOV PF with 3 VFs, VF 1 on vfio-pci: `sriovctl list --json`
# must report the virtfn targets as VF addresses, one IOMMU group per VF and
# VF 1's driver.

pf=$(nvme_pf)
step "NVMe PF $pf: enable 3 VFs, bind VF 1 to vfio-pci"
assert_eq "$pf sriov_totalvfs" 4 "$(cat /sys/bus/pci/devices/$pf/sriov_totalvfs)"
nvme_enable_vfs 3
vf1=$(nvme_vf_addr 1)
bind_vfio "$vf1"
[ -e "/dev/vfio/$(iommu_group "$vf1")" ] || fail "/dev/vfio/$(iommu_group "$vf1") missing after binding $vf1 to vfio-pci"

# What sysfs says, to compare with sriovctl's answer.
checks=""
groups=""
for i in 0 1 2; do
    addr=$(nvme_vf_addr "$i")
    group=$(iommu_group "$addr")
    [ -n "$group" ] || fail "VF $i ($addr) has no iommu_group link (is the IOMMU on?)"
    assert_eq "devices in IOMMU group $group" "$addr" "$(ls /sys/kernel/iommu_groups/$group/devices | tr '\n' ' ' | sed 's/ $//')"
    groups="$groups $group"
    checks="$checks
.vfs[] | select(.index == $i) | .pciAddress => $addr
.vfs[] | select(.index == $i) | .iommuGroup => $group
.vfs[] | select(.index == $i) | .iommuGroupDevices => [\"$addr\"]"
done
assert_eq "distinct IOMMU groups" 3 "$(echo $groups | tr ' ' '\n' | sort -u | wc -l)"

step "sriovctl list --json"
sriovctl list --json > /tmp/list.json
show jq -c ".pfs[] | select(.pciAddress == \"$pf\")" /tmp/list.json

assert_json /tmp/list.json "[.pfs[] | select(.pciAddress == \"$pf\")] | length" 1
assert_jsons /tmp/list.json ".pfs[] | select(.pciAddress == \"$pf\")" <<EOF
.kind => pci
.sysfsDevice => $pf
.driver => nvme
.totalVFs => 4
.numVFs => 3
.vfs | length => 3
[.vfs[].index] | map(tostring) | join(",") => 0,1,2
$checks
[.vfs[].iommuGroup] | unique | length => 3
.vfs[] | select(.index == 1) | .driver => vfio-pci
.vfs[] | select(.index == 1) | .libvirtNodeDevice => pci_$(echo "$vf1" | tr ':.' '__')
# sriov_drivers_autoprobe was 0: VFs 0 and 2 have no driver
.vfs[] | select(.index == 0) | .driver => null
.vfs[] | select(.index == 2) | .driver => null
EOF
