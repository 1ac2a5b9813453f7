# lab: machine=noiommu expect=pass timeout=180
# A boot without intel_iommu=on and without QEMU's intel-iommu device: doctor
# fails (exit 2) with intel_iommu=on in the advice (the q35 host bridge is Intel,
# whatever vendor the emulated CPU reports), no interrupt remapping, and VFs
# without an IOMMU group.

pf=$(nvme_pf)
step "NVMe PF $pf without an IOMMU: enable 1 VF"
nvme_enable_vfs 1
assert_eq "IOMMU groups" 0 "$(ls /sys/kernel/iommu_groups | wc -l)"

check() { echo ".checks[] | select(.id == \"$1\")"; }

step "sriovctl doctor --json"
rc=0
sriovctl doctor --json > /tmp/doctor.json || rc=$?
show jq -c '.host, (.checks[] | {id, status, summary: .fix.summary})' /tmp/doctor.json
assert_eq "doctor exit status" 2 "$rc"
assert_json /tmp/doctor.json '.exitCode' 2
assert_json /tmp/doctor.json '.host.iommuKind' intel
assert_json /tmp/doctor.json "$(check iommu.enabled) | .status" fail
assert_contains "IOMMU fix summary" "$(jqr /tmp/doctor.json "$(check iommu.enabled) | .fix.summary")" "intel_iommu=on"
assert_contains "IOMMU fix steps" "$(jqr /tmp/doctor.json "[$(check iommu.enabled) | .fix.steps[].text] | join(\" \")")" "intel_iommu=on"
assert_not_contains "IOMMU fix steps" "$(jqr /tmp/doctor.json "[$(check iommu.enabled) | .fix.steps[].text] | join(\" \")")" "amd_iommu"
assert_json /tmp/doctor.json "$(check iommu.enabled) | .fix.rebootRequired" true
assert_json /tmp/doctor.json "$(check interrupts.remapping) | .status" fail
assert_json /tmp/doctor.json "$(check vf.iommu-group) | .status" fail
assert_json /tmp/doctor.json "$(check vf.iommu-group) | .iommuGroup" null

step "Human output: [FAIL] with the fix indented under it"
rc=0
out=$(sriovctl doctor 2>&1) || rc=$?
printf '%s\n' "$out" | sed 's/^/@@LAB-OUT /'
assert_eq "doctor exit status" 2 "$rc"
assert_contains "doctor output" "$out" "[FAIL] IOMMU enabled"
assert_contains "doctor output" "$out" "intel_iommu=on"
assert_contains "doctor output" "$out" "Result: "
