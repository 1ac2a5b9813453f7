/// Renders a guest's VF for Xen's `xl` toolstack: the domain config line and the host command.
///
/// Xen passes a PCI function through by its address (`[DDDD:]BB:DD.F`, the BDF that `lspci`
/// shows) in the guest's config file, `pci = [ '0000:0b:10.0' ]`, after the host has handed
/// the function to the `xen-pciback` driver (`xl pci-assignable-add 0000:0b:10.0`, or the
/// older `pciback.hide=(0000:0b:10.0)` boot parameter). sriovctl always writes the full
/// form with the PCI domain: the short `BB:DD.F` form (as in old `xm` configs) is ambiguous on
/// hosts with several PCI segments.
///
/// Unlike libvirt, `xl` does not set a VF's MAC or VLAN: the MAC and VLAN of the guest's
/// interface are whatever the PF holds for the VF, so sriovctl programs them through netlink
/// before the guest starts. A PCI address is not stable across hardware or firmware changes
/// (VF numbering depends on the PF's slot and `sriov_numvfs`); re-render after such changes.
public enum XenPCIConfig {
    /// `pci = [ '0000:0b:10.0' ]` for one VF (no trailing newline).
    ///
    /// Throws `.notSupported` for a VF without a PCI address or with an 802.1Qbh virtual port
    /// (xl has no port profiles), and `.invalidValue` for a bad MAC or VLAN (the values sriovctl
    /// will program on the VF).
    public static func render(_ interface: GuestInterface) throws(SRIOVError) -> String {
        try render([interface])
    }

    /// `pci = [ '0000:0b:10.0', '0000:0b:10.2' ]` for several VFs of one guest, in the given order.
    ///
    /// An empty list renders `pci = [ ]`. The same PCI function twice is an `.invalidValue` error.
    public static func render(_ interfaces: [GuestInterface]) throws(SRIOVError) -> String {
        var specs: [String] = []
        var seen: Set<PCIAddress> = []
        for interface in interfaces {
            let address = try passthroughAddress(interface)
            guard seen.insert(address).inserted else {
                throw SRIOVError(.invalidValue, "VF \(address): listed twice for one Xen guest")
            }
            specs.append("'\(address)'")
        }
        return specs.isEmpty ? "pci = [ ]" : "pci = [ \(specs.joined(separator: ", ")) ]"
    }

    /// `xl pci-assignable-add 0000:0b:10.0`: the command that binds the VF to `xen-pciback`
    /// on the host so a guest may use it. A hint to print; sriovctl never runs it through a shell.
    public static func assignableAddCommand(for interface: GuestInterface) throws(SRIOVError) -> String {
        "xl pci-assignable-add \(try passthroughAddress(interface))"
    }

    /// The VF's PCI address after the Xen checks (see ``render(_:)-(GuestInterface)``).
    static func passthroughAddress(_ interface: GuestInterface) throws(SRIOVError) -> PCIAddress {
        guard let address = interface.vfPCIAddress else { throw LibvirtInterfaceXML.noPCIAddress(interface) }
        if let port = interface.virtualPort {
            throw SRIOVError(.notSupported,
                             "VF \(address): an 802.1Qbh virtual port ('\(LibvirtInterfaceXML.printable(port.profileID))') cannot be used with Xen; xl has no port profiles")
        }
        try LibvirtInterfaceXML.validate(interface)
        return address
    }
}
