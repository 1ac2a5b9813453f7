public import SRIOVCore

/// ``HostDeviceInspecting`` over sysfs: `class/net/*/address` for host interface MACs, and
/// `bus/pci/devices/X/driver` and `class` for how an IOMMU group member is bound.
public struct SysfsHostDevices: HostDeviceInspecting {
    /// The tree read.
    public let sysfs: SysfsTree

    /// Creates an inspector over `sysfs`.
    public init(sysfs: SysfsTree) { self.sysfs = sysfs }

    public func interfaceMACs() -> [String: MACAddress] {
        var result: [String: MACAddress] = [:]
        for netdev in sysfs.list("class/net") {
            // Only Ethernet-style addresses; loopback's zero MAC is ignored by the allocator anyway.
            if let text = sysfs.read("class/net/\(netdev)/address"), let mac = MACAddress(text) {
                result[netdev] = mac
            }
        }
        return result
    }

    public func binding(ofPCIDevice device: String) -> IOMMUGroupPeer {
        let dir = "bus/pci/devices/\(device)"
        return IOMMUGroupPeer(device: device, driver: sysfs.linkTargetName("\(dir)/driver"),
                              pciClass: sysfs.read("\(dir)/class"))
    }
}
