/// Which network interfaces are stacked on which (VLAN, macvlan, bond members): an
/// interface stacked on a VF's netdev shares that VF's MAC legitimately. Implemented over
/// sysfs (`lower_*` links) by SRIOVLinux.
public protocol InterfaceStackingReading: Sendable {
    /// For each interface with lower interfaces, their names.
    func lowerInterfaces() -> [String: [String]]
}
