/// Reads the host's SR-IOV devices from sysfs.
public protocol HostDiscovering: Sendable {
    /// Every SR-IOV PF and VF. Odd entries become warnings, never a thrown error.
    func discover() -> HostInventory

    /// The PF a user names (netdev, PCI address or sysfs device), as ``discover()`` shows it:
    /// what ``HostInventory/pf(matching:)`` finds in the whole inventory. An adapter may read
    /// only that PF (the default reads the whole host).
    func discoverPF(matching identifier: String) throws(SRIOVError) -> PhysicalFunction
}

extension HostDiscovering {
    public func discoverPF(matching identifier: String) throws(SRIOVError) -> PhysicalFunction {
        try discover().pf(matching: identifier)
    }
}
