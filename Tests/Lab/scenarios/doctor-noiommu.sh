# lab: machine=noiommu expect=pass timeout=180
# A boot without intel_iommu=on and without QEMU's intel-iommu device: doctor
# fails (exit 2) with intel_iommu=on in the advice (the q35 host bridge is Intel,
# whatever vendor QEMU's emulated CPU reports), no interrupt remapping, and a
# VF without an IOMMU group.

pf=$(nvme_pf)
step "NVMe PF $pf without an IOMMU: enable 1 VF"
nvme_enable_vfs 1
assert_eq "IOMMU groups" 0 "$(ls /sys/kernel/iommu_groups | wc -l)"

step "sriovctl doctor --json"
rc=0
sriovctl doctor --json > /tmp/doctor.json || rc=$?
show jq -c '.host, (.checks[] | {id, status, summary: .fix.summary})' /tmp/doctor.json
assert_eq "doctor exit status" 2 "$rc"
c='.checks[] | select(.id =='
assert_jsons /tmp/doctor.json <<JSON
.exitCode => 2
.host.iommuKind => intel
.host.virtualMachine => true
$c "iommu.enabled") | .status => fail
$c "iommu.enabled") | .fix.summary | test("intel_iommu=on") => true
$c "iommu.enabled") | [.fix.steps[].text] | join(" ") | test("add .intel_iommu=on. on the kernel command line") => true
$c "iommu.enabled") | [.fix.steps[].text] | join(" ") | test("amd_iommu") => false
$c "iommu.enabled") | .fix.steps[0].text | test("-device intel-iommu") => true
$c "iommu.enabled") | .fix.rebootRequired => true
$c "interrupts.remapping") | .status => fail
$c "vfio.pci-driver") | .status => pass
$c "pf.sriov") | .status => pass
$c "vf.iommu-group") | [.status, (.iommuGroup | tostring)] | join(" ") => fail null
JSON

step "Human output: [FAIL] with the fix indented under it"
rc=0
out=$(sriovctl doctor 2>&1) || rc=$?
printf '%s\n' "$out" | sed 's/^/@@LAB-OUT /'
assert_eq "doctor exit status" 2 "$rc"
assert_contains "doctor output" "$out" "[FAIL] IOMMU enabled"
assert_contains "doctor output" "$out" "add \`intel_iommu=on\` on the kernel command line"
assert_contains "doctor output" "$out" "Result: 3 failed, 0 warnings, 5 passed (exit 2)"
