/// What attachment needs to know about host devices beyond SR-IOV discovery: the MACs of
/// host interfaces (never handed to a guest) and what the other members of a VF's IOMMU
/// group are bound to. Implemented over sysfs by SRIOVLinux; SRIOVTesting has a fake.
public protocol HostDeviceInspecting: Sendable {
    /// The current MAC of every netdev (`/sys/class/net/*/address`), by netdev name.
    func interfaceMACs() -> [String: MACAddress]
    /// How a PCI device (`0000:00:1f.3`) is bound.
    func binding(ofPCIDevice device: String) -> IOMMUGroupPeer
}

