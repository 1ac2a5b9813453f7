import SRIOVCore

/// A stand-in for netlink that attach and detach use when the tests set
/// `SRIOVCTL_TEST_UNPROGRAMMED_VFS=1` (never a command-line option), used
/// by tests that run many sriovctl processes against a sysfs fixture (where there is no
/// kernel to program): every PF reads as its sysfs VFs with blank settings, and every
/// change "succeeds" without touching anything. The database side (leases, VF choice,
/// intents, the journal) runs exactly as in a real attach. Never use it on a real host.
struct UnprogrammedVFLinks: VFLinkControlling {
    let discovery: any HostDiscovering

    func readPF(_ netdev: String) throws(SRIOVError) -> PFLinkStatus {
        guard let pf = discovery.discover().pfs.first(where: { $0.netdevs.contains(netdev) }) else {
            throw SRIOVError(.notFound, "\(netdev): no such SR-IOV PF in sysfs")
        }
        let vfs = pf.vfs.map {
            VFState(index: $0.index, mac: .zero, vlans: [.none], spoofCheck: true, trust: false, linkState: .auto)
        }
        return PFLinkStatus(ifindex: 0, name: netdev, operState: pf.linkState ?? "unknown", numVFs: vfs.count, vfs: vfs)
    }

    func apply(_ changes: [VFChange], on netdev: String) -> VFApplyReport {
        VFApplyReport(pf: netdev, outcomes: changes.map {
            .init(index: $0.index, applied: $0.settings.fieldNames, notes: ["not programmed (--no-program)"])
        }, requests: 0)
    }

    /// Discovery for the stand-in: a PF without a netdev (a non-network SR-IOV device such as
    /// QEMU's NVMe PF) is given its sysfs device name as its netdev, so that attach can choose
    /// among its VFs (the lab's NUMA check). Only with the stand-in: nothing is programmed.
    struct NamingNetdevlessPFs: HostDiscovering {
        let base: any HostDiscovering

        func discover() -> HostInventory {
            var inventory = base.discover()
            for i in inventory.pfs.indices where inventory.pfs[i].netdevs.isEmpty {
                inventory.pfs[i].netdevs = [inventory.pfs[i].sysfsDevice]
            }
            return inventory
        }
    }
}
