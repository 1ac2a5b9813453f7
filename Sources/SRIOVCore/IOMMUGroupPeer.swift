/// A device in a VF's IOMMU group, and the one rule attach, provision and doctor share
/// about it: which devices keep the group from being passed through.
///
/// VFIO hands a whole IOMMU group to a guest. Bridges and root ports are not endpoints and
/// never block; an endpoint bound to a host driver (anything but vfio-pci or pci-stub) does.
/// Doctor is stricter on top of this (an unbound or vfio-bound peer is not isolation either).
public struct IOMMUGroupPeer: Hashable, Sendable, Codable {
    /// The device's sysfs name (normally a PCI address).
    public var device: String
    /// Bound driver, `nil` when unbound.
    public var driver: String?
    /// PCI class as sysfs shows it (`0x020000`), `nil` when unreadable.
    public var pciClass: String?

    /// Creates a peer.
    public init(device: String, driver: String?, pciClass: String?) {
        self.device = device
        self.driver = driver
        self.pciClass = pciClass
    }

    /// Drivers that leave a device safe to share an IOMMU group with a passed-through VF.
    public static let passthroughDrivers: Set<String> = ["vfio-pci", "pci-stub"]

    /// True for host bridges (class 0x0600xx) and PCI bridges / root and downstream ports
    /// (0x0604xx): not endpoints, so VFIO accepts them in a group whatever their driver.
    public static func isBridgeClass(_ pciClass: String?) -> Bool {
        guard var text = pciClass?.lowercased() else { return false }
        if text.hasPrefix("0x") { text.removeFirst(2) }
        return text.count == 6 && (text.hasPrefix("0604") || text.hasPrefix("0600"))
    }

    /// True when this device is a bridge, not an endpoint.
    public var isBridge: Bool { Self.isBridgeClass(pciClass) }

    /// True when this device keeps the group from being handed to a guest: an endpoint
    /// bound to a host driver.
    public var blocksPassthrough: Bool {
        guard !isBridge, let driver else { return false }
        return !Self.passthroughDrivers.contains(driver)
    }
}
