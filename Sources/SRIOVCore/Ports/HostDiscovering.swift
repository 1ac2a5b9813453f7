/// Reads the host's SR-IOV devices from sysfs.
public protocol HostDiscovering: Sendable {
    /// Every SR-IOV PF and VF. Odd entries become warnings, never a thrown error.
    func discover() -> HostInventory
}
