/// Renders a ``HostInventory`` as the human table of `sriovctl list`: one row per PF,
/// its VFs indented under it, live netlink values next to the sysfs data when known, and
/// the PF's NUMA node (`unknown` when sysfs says -1).
public enum InventoryReport {
    /// The text shown for an inventory. An empty inventory says so plainly.
    public static func render(_ inventory: HostInventory) -> String {
        guard !inventory.pfs.isEmpty else {
            return "No SR-IOV devices found on this host (no PCI device with sriov_totalvfs, no netdev with sriov_numvfs)."
        }
        var table = TextTable(header: ["DEVICE", "PCI", "DRIVER", "VFS", "IOMMU", "MAC", "VLAN", "TRUST", "SPOOFCHK", "LINK", "NUMA"])
        for pf in inventory.pfs {
            let vfCount = "\(pf.numVFs.map(String.init) ?? "-")/\(pf.totalVFs.map(String.init) ?? "-")"
            // The PF's NUMA node; sysfs numa_node -1 reads "unknown" (attach treats it as local).
            table.append([pf.name, pf.pciAddress?.description ?? "-", pf.driver ?? "-", vfCount, "", "", "", "", "",
                          pf.linkState ?? "-", pf.numaNode.map(String.init) ?? (pf.kind == .pci ? "unknown" : "-")])
            for vf in pf.vfs {
                let live = vf.live
                table.append([
                    "  vf \(vf.index)" + (vf.netdev.map { " (\($0))" } ?? ""),
                    vf.pciAddress?.description ?? "-",
                    vf.driver ?? "-",
                    "",
                    vf.iommuGroup.map { group in
                        vf.iommuGroupDevices.count > 1 ? "\(group) (+\(vf.iommuGroupDevices.count - 1))" : "\(group)"
                    } ?? "-",
                    live.map { $0.mac.description } ?? "-",
                    live.map { $0.vlan.id == 0 && $0.vlan.qos == 0 ? "-" : $0.vlan.description } ?? "-",
                    onOff(live?.trust),
                    onOff(live?.spoofCheck),
                    live?.linkState?.description ?? "-",
                    "",
                ])
            }
        }
        return table.render()
    }

    static func onOff(_ value: Bool?) -> String {
        value.map { $0 ? "on" : "off" } ?? "-"
    }
}
