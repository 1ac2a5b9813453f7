# Demo step (sourced by the demo scenario, machine=default): host readiness.
step "Is this host ready for passthrough? sriovctl doctor: IOMMU, interrupt remapping, VFIO, the PF and each VF's IOMMU group"
show sriovctl doctor --pf "$(nvme_pf)"
