public import SRIOVCore

/// Builds consistent fake hosts: a sysfs inventory and the matching netlink statuses.
public enum FakeHostBuilder {
    /// A netdevsim PF `netdev` on device `device` with `vfs` blank VFs (no PCI, no IOMMU group).
    public static func netdevsimPF(_ netdev: String, device: String, vfs: Int,
                                   permanentMAC: MACAddress? = nil) -> (PhysicalFunction, PFLinkStatus) {
        let pf = PhysicalFunction(name: netdev, pciAddress: nil, sysfsDevice: device, kind: .netdevsim,
                                  driver: "netdevsim", netdevs: [netdev], numVFs: vfs, linkState: "up",
                                  vfs: (0..<vfs).map { VirtualFunction(index: $0) })
        return (pf, status(netdev, vfs: vfs, permanentMAC: permanentMAC))
    }

    /// A PCI PF at `address` whose VFs sit at `firstVF`, `firstVF+1`, ... (function numbers
    /// counting up), each alone in IOMMU group `firstGroup + index`, bound to no driver.
    public static func pciPF(_ netdev: String, address: String, vfs: Int, firstVF: String, firstGroup: Int = 20,
                             permanentMAC: MACAddress? = nil) -> (PhysicalFunction, PFLinkStatus) {
        let base = PCIAddress(firstVF)!
        let vfList = (0..<vfs).map { i -> VirtualFunction in
            let n = Int(base.slot) * 8 + Int(base.function) + i
            let pci = PCIAddress(domain: base.domain, bus: base.bus, slot: UInt8(n / 8), function: UInt8(n % 8))!
            return VirtualFunction(index: i, pciAddress: pci, iommuGroup: firstGroup + i,
                                   iommuGroupDevices: [pci.description])
        }
        let pf = PhysicalFunction(name: netdev, pciAddress: PCIAddress(address)!, sysfsDevice: address, kind: .pci,
                                  driver: "ixgbe", netdevs: [netdev], totalVFs: 63, numVFs: vfs, linkState: "up",
                                  vfs: vfList)
        return (pf, status(netdev, vfs: vfs, permanentMAC: permanentMAC))
    }

    /// A netlink status with `vfs` blank VFs.
    public static func status(_ netdev: String, vfs: Int, permanentMAC: MACAddress? = nil) -> PFLinkStatus {
        PFLinkStatus(ifindex: 10, name: netdev, mac: permanentMAC, permanentMAC: permanentMAC, operState: "up",
                     numVFs: vfs, vfs: (0..<vfs).map { FakeVFLinkControl.blankVF($0) })
    }
}
