/// What attachment needs to know about host devices beyond SR-IOV discovery: the MACs of
/// host interfaces (never handed to a guest) and what the other members of a VF's IOMMU
/// group are bound to. Implemented over sysfs by SRIOVLinux; SRIOVTesting has a fake.
public protocol HostDeviceInspecting: Sendable {
    /// The current MAC of every netdev (`/sys/class/net/*/address`), by netdev name.
    func interfaceMACs() -> [String: MACAddress]
    /// How a PCI device (`0000:00:1f.3`) is bound.
    func binding(ofPCIDevice device: String) -> PCIDeviceBinding
}

/// A PCI device's driver binding, as far as IOMMU group viability cares.
public struct PCIDeviceBinding: Hashable, Sendable, Codable {
    /// The bound driver (`vfio-pci`, `igb`), `nil` when unbound.
    public var driver: String?
    /// True for PCI bridges (class 0x0604): VFIO accepts them in a group whatever their driver.
    public var isBridge: Bool

    /// Creates a binding.
    public init(driver: String?, isBridge: Bool = false) {
        self.driver = driver
        self.isBridge = isBridge
    }

    /// Drivers that leave a device safe to share an IOMMU group with a passed-through VF.
    public static let passthroughDrivers: Set<String> = ["vfio-pci", "pci-stub"]

    /// True when the device keeps its IOMMU group from being passed through: bound to a
    /// host driver other than vfio-pci/pci-stub, and not a bridge.
    public var blocksGroup: Bool {
        guard let driver, !isBridge else { return false }
        return !Self.passthroughDrivers.contains(driver)
    }
}
