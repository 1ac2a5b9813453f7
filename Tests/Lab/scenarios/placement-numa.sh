# lab: machine=default expect=pass timeout=180
# Issue 16 on a real kernel: QEMU's NVMe PF sits behind a pxb-pcie expander with
# numa_node=1 on a two-node machine (run-lab.sh's NVME), so the kernel's sysfs numa_node
# of the PF says 1 (from ACPI _PXM); `sriovctl list` shows node 1; an attach with
# --numa-node 1 gets one of its VFs; with numa: required, --numa-node 0 is refused naming
# node 1. The NVMe PF has no netdev (its VFs are not network VFs), so the attaches run with
# the tests' netlink stand-in (SRIOVCTL_TEST_UNPROGRAMMED_VFS=1): what is checked here is the
# kernel's NUMA facts and the choice made from them, not VF programming.

NVME=$(nvme_pf)
step "Two NUMA nodes; the NVMe PF $NVME on node 1"
assert_eq "NUMA nodes online" "0-1" "$(cat /sys/devices/system/node/online)"
assert_eq "$NVME numa_node" 1 "$(cat /sys/bus/pci/devices/$NVME/numa_node)"
show cat /sys/devices/system/node/node0/cpulist
nvme_enable_vfs 2

step "sriovctl list shows node 1"
sriovctl list --json --no-netlink > /tmp/list.json
assert_json /tmp/list.json ".pfs[] | select(.pciAddress == \"$NVME\") | .numaNode" 1
sriovctl list --no-netlink > /tmp/list.txt
show cat /tmp/list.txt
row=$(grep -F "$NVME" /tmp/list.txt | head -n 1)
assert_eq "list row's NUMA column" 1 "$(echo "$row" | awk '{print $NF}')"

cat > /tmp/placement.yaml <<YAML
networks:
  - name: local
    pfs: ["pci:$NVME#0"]
  - name: strict
    pfs: ["pci:$NVME#1"]
    numa: required
mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
YAML
sx() { SRIOVCTL_TEST_UNPROGRAMMED_VFS=1 sriovctl "$@" --config-file /tmp/placement.yaml --db /tmp/placement.db; }

step "attach --numa-node 1 gets a VF of the node-1 PF"
sx attach web1 --network local --numa-node 1 --format json > /tmp/web1.json 2> /tmp/web1.err \
    || { cat /tmp/web1.err; fail "attach web1 failed"; }
show cat /tmp/web1.err
assert_jsons /tmp/web1.json <<CHECKS
.pf.pciAddress => $NVME
.vfIndex => 0
.vfPciAddress => $(nvme_vf_addr 0)
CHECKS
assert_not_contains "attach notes" "$(cat /tmp/web1.err)" "remote"
sx leases --json > /tmp/leases.json
assert_json /tmp/leases.json '.leases[0].numaNode' 1

step "numa: required refuses --numa-node 0, naming node 1"
assert_fails sx attach db1 --network strict --numa-node 0 --format json
assert_contains "refusal" "$LAB_LAST_OUTPUT" "no free VF for db1 on strict on NUMA node 0 (numa: required; the guest's node from --numa-node 0); free VFs are on NUMA node 1 (1 free)"
sx leases --json > /tmp/leases.json
assert_json /tmp/leases.json '.leases | length' 1
