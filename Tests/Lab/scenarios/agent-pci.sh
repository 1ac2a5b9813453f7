# lab: machine=default expect=pass timeout=300
# The agent on a real SR-IOV PCI PF (QEMU's NVMe under intel-iommu): its VFs are PCI
# functions, so their changes arrive as kernel uevents. A VF unbound from vfio-pci by hand is
# bound again; sriov_numvfs written to 0 gets the VFs re-created and bound to vfio-pci.
# Checked with sysfs (driver links), never with sriovctl.

NVME=$(nvme_pf)
step "QEMU's NVMe PF $NVME: 2 VFs on vfio-pci, the agent running"
mkdir -p /etc/sriovctl
cat > /etc/sriovctl/config.yaml <<CONFIG
version: 1
pfs:
  - pci: "$NVME"
    num_vfs: 2
    drivers_autoprobe: false   # the host nvme driver would time out on QEMU's offline VFs
    vfio: true
CONFIG
sriovctl provision > /dev/null
VF0=$(nvme_vf_addr 0)
assert_eq "VF 0 driver" vfio-pci "$(pci_driver "$VF0")"
agent_start

step "VF 0 unbound from vfio-pci by hand"
echo "$VF0" > /sys/bus/pci/drivers/vfio-pci/unbind
assert_eq "VF 0 driver after the unbind" "" "$(pci_driver "$VF0")"
on_vfio() { [ "$(pci_driver "$1")" = vfio-pci ]; }
measure 30 "VF 0 bound to vfio-pci again (uevent)" on_vfio "$VF0"

step "sriov_numvfs written to 0 by hand"
echo 0 > "/sys/bus/pci/devices/$NVME/sriov_numvfs"
both_back() { [ -e "/sys/bus/pci/devices/$NVME/virtfn1" ] && on_vfio "$(nvme_vf_addr 0)" && on_vfio "$(nvme_vf_addr 1)"; }
measure 60 "VFs re-created and bound to vfio-pci" both_back
assert_eq "sriov_numvfs" 2 "$(cat "/sys/bus/pci/devices/$NVME/sriov_numvfs")"
show grep -E "repaired|pass done" "$AGENT_LOG"
assert_contains "the first repair came from an event" "$(grep -m1 'repaired vfio' "$AGENT_LOG")" "[trigger event]"
kill -TERM "$AGENT_PID"; wait "$AGENT_PID" || true
