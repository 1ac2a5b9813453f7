# lab: machine=default expect=pass timeout=180
# intel-iommu with intel_iommu=on iommu=pt: `sriovctl doctor` passes the IOMMU,
# interrupt remapping and VFIO checks on a real kernel, finds each of the NVMe
# PF's VFs alone in its IOMMU group, and warns (exit 1) while
# vfio_iommu_type1 allow_unsafe_interrupts is switched on.

pf=$(nvme_pf)
step "NVMe PF $pf: enable 2 VFs, bind VF 1 to vfio-pci"
nvme_enable_vfs 2
bind_vfio "$(nvme_vf_addr 1)"

check() { echo ".checks[] | select(.id == \"$1\")"; }

step "sriovctl doctor --json --pf $pf"
rc=0
sriovctl doctor --json --pf "$pf" > /tmp/doctor.json || rc=$?
show jq -c '.checks[] | {id, status, vf, iommuGroup, observed}' /tmp/doctor.json
assert_eq "doctor exit status" 0 "$rc"
assert_json /tmp/doctor.json '.status' pass
assert_json /tmp/doctor.json '.summary.fail + .summary.warn' 0
assert_json /tmp/doctor.json '.host.iommuKind' intel
assert_json /tmp/doctor.json "$(check iommu.enabled) | .status" pass
assert_json /tmp/doctor.json "$(check iommu.passthrough) | .fix" null
assert_json /tmp/doctor.json "$(check interrupts.remapping) | .status" pass
assert_json /tmp/doctor.json "$(check interrupts.unsafe) | .status" pass
assert_json /tmp/doctor.json "$(check vfio.pci-driver) | .status" pass
assert_json /tmp/doctor.json "$(check pf.sriov) | .pfAddress" "$pf"
assert_json /tmp/doctor.json "$(check pf.sriov) | .status" pass
assert_json /tmp/doctor.json "[$(check vf.iommu-group)] | length" 2

for i in 0 1; do
    addr=$(nvme_vf_addr "$i")
    group=$(iommu_group "$addr")
    [ -n "$group" ] || fail "VF $i ($addr) has no iommu_group link"
    vf="$(check vf.iommu-group) | select(.vf == $i)"
    assert_json /tmp/doctor.json "$vf | .status" pass
    assert_json /tmp/doctor.json "$vf | .vfAddress" "$addr"
    assert_json /tmp/doctor.json "$vf | .iommuGroup" "$group"
    assert_json /tmp/doctor.json "$vf | [.groupMembers[].device] | join(\",\")" "$addr"
    assert_json /tmp/doctor.json "$vf | .groupMembers[0].role" self
done
assert_json /tmp/doctor.json "$(check vf.iommu-group) | select(.vf == 1) | .groupMembers[0].driver" vfio-pci

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
assert_json /tmp/doctor-unsafe.json "$(check interrupts.unsafe) | .status" warn
assert_contains "unsafe observed" "$(jqr /tmp/doctor-unsafe.json "$(check interrupts.unsafe) | .observed")" "$param = Y"
assert_json /tmp/doctor-unsafe.json "$(check interrupts.unsafe) | .fix.commands[0]" "echo N > $param"
