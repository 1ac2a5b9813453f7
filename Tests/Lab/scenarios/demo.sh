# lab: machine=default expect=pass timeout=300
# The demo shown by `run-lab.sh --demo` (and `make demo`): step/show lines
# are streamed to the terminal. Steps for each feature live in
# Tests/Lab/demo.d/NN-name.sh and are sourced in order at the end (same
# helpers, same shell; `set -eEu` applies, so a failing step fails the demo).

step "A virtual PF: netdevsim device 1, allow 4 VFs and enable them through sysfs"
pf=$(netdevsim_pf 1 4)
show "echo 4 > /sys/class/net/$pf/device/sriov_numvfs"

nvme=$(nvme_pf)
step "A PCI PF: QEMU's NVMe controller at $nvme, enable 2 VFs"
show "echo 0 > /sys/bus/pci/devices/$nvme/sriov_drivers_autoprobe"
show "echo 2 > /sys/bus/pci/devices/$nvme/sriov_numvfs"
wait_for 10 "virtfn1 of $nvme" test -e "/sys/bus/pci/devices/$nvme/virtfn1"
show "ls -l /sys/bus/pci/devices/$nvme/ | grep virtfn"

step "What sriovctl sees"
show sriovctl list

for demo_step in "$LAB_DIR"/demo.d/*.sh; do
    [ -e "$demo_step" ] || continue
    # shellcheck disable=SC1090
    . "$demo_step"
done
