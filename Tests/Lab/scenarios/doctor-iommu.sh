# lab: machine=default expect=pass timeout=180
# intel-iommu with intel_iommu=on iommu=pt: `sriovctl doctor` passes the IOMMU,
# interrupt remapping and VFIO checks on a real kernel, finds each of the NVMe
# PF's VFs alone in its IOMMU group, and warns (exit 1) while
# vfio_iommu_type1 allow_unsafe_interrupts is switched on.

pf=$(nvme_pf)
step "NVMe PF $pf: enable 2 VFs, bind VF 1 to vfio-pci"
nvme_enable_vfs 2
vf0=$(nvme_vf_addr 0)
vf1=$(nvme_vf_addr 1)
bind_vfio "$vf1"
g0=$(iommu_group "$vf0")
g1=$(iommu_group "$vf1")
[ -n "$g0" ] && [ -n "$g1" ] || fail "VFs without iommu_group links ($vf0: '$g0', $vf1: '$g1')"

step "sriovctl doctor --json --pf $pf"
rc=0
sriovctl doctor --json --pf "$pf" > /tmp/doctor.json || rc=$?
show jq -c '.checks[] | {id, status, vf, iommuGroup, observed}' /tmp/doctor.json
assert_eq "doctor exit status" 0 "$rc"
c='.checks[] | select(.id =='
assert_jsons /tmp/doctor.json <<JSON
.status => pass
.exitCode => 0
.summary.fail + .summary.warn => 0
.host.iommuKind => intel
$c "iommu.enabled") | .status => pass
$c "iommu.passthrough") | .fix => null
$c "interrupts.remapping") | .status => pass
$c "interrupts.remapping") | .observed | test("IR-") => true
$c "interrupts.unsafe") | .status => pass
$c "vfio.pci-driver") | .status => pass
$c "pf.sriov") | .pfAddress => $pf
$c "pf.sriov") | .status => pass
$c "pf.link") | .status => pass
[$c "vf.iommu-group")] | length => 2
$c "vf.iommu-group") | select(.vf == 0) | [.status, .vfAddress, .iommuGroup] | join(" ") => pass $vf0 $g0
$c "vf.iommu-group") | select(.vf == 1) | [.status, .vfAddress, .iommuGroup] | join(" ") => pass $vf1 $g1
$c "vf.iommu-group") | select(.vf == 0) | [.groupMembers[] | .device + "=" + .role] | join(",") => $vf0=self
$c "vf.iommu-group") | select(.vf == 1) | [.groupMembers[] | .device + "=" + .role + "/" + .driver] | join(",") => $vf1=self/vfio-pci
JSON
assert_eq "devices in VF 0's group $g0" "$vf0" "$(ls /sys/kernel/iommu_groups/$g0/devices)"

step "Human output"
show sriovctl doctor --pf "$pf"

step "allow_unsafe_interrupts=Y makes doctor warn (exit 1), naming the parameter"
param=/sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts
[ -e "$param" ] || fail "$param missing (CONFIG_VFIO_IOMMU_TYPE1)"
echo Y > "$param"
rc=0
sriovctl doctor --json --pf "$pf" > /tmp/doctor-unsafe.json || rc=$?
echo N > "$param"
assert_eq "doctor exit status with unsafe interrupts" 1 "$rc"
assert_jsons /tmp/doctor-unsafe.json <<JSON
.status => warn
[.checks[] | select(.status != "pass") | .id] | join(",") => interrupts.unsafe
$c "interrupts.unsafe") | .observed => $param = Y
$c "interrupts.unsafe") | .fix.commands | join(";") => echo N > $param
JSON
