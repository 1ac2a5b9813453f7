# Demo step (sourced by the demo scenario, machine=default): host readiness.
step "Is this host ready for passthrough? sriovctl doctor: IOMMU, interrupt remapping, VFIO, the PF and each VF's IOMMU group"
show sriovctl doctor --pf "$(nvme_pf)"
assert_contains "doctor names the IOMMU check" "$LAB_LAST_OUTPUT" "IOMMU"
sriovctl doctor --pf "$(nvme_pf)" --json > /tmp/demo-doctor.json
assert_json /tmp/demo-doctor.json '[.. | objects | select(has("status")) | .status] | map(select(. == "fail")) | length' 0
