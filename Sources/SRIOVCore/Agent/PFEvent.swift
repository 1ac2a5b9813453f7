/// Something the kernel said that may have changed a PF or its VFs, reduced to what the
/// agent acts on: which PF to look at again and why. Made from rtnetlink link notifications
/// and kernel uevents by SRIOVLinux's event parsers, then coalesced by ``PassCoalescer``.
///
/// Events say only *which* PF to look at; the pass always re-reads the PF itself.
public struct PFEvent: Hashable, Sendable {
    /// Which PF, as the event names it.
    public enum Subject: Hashable, Sendable, CustomStringConvertible {
        /// A network interface by name (`eth0`): an RTM_NEWLINK/RTM_DELLINK for a PF.
        case netdev(String)
        /// A PCI function by address: a uevent for a PF or for one of its VFs (the parser
        /// reports the PF when the event tells it, else the function itself).
        case pci(PCIAddress)
        /// Something on the host changed but the event does not say which PF (a netdevsim
        /// device added or removed): every PF is looked at.
        case everyPF

        public var description: String {
            switch self {
            case .netdev(let name): name
            case .pci(let address): address.description
            case .everyPF: "every PF"
            }
        }
    }

    /// What happened, for the log.
    public enum Change: String, Hashable, Sendable {
        /// A link appeared (RTM_NEWLINK for an unknown interface, or uevent `add`).
        case added
        /// A link or device went away (RTM_DELLINK, uevent `remove`).
        case removed
        /// The link's state changed (RTM_NEWLINK: a VF setting, carrier, up/down).
        case changed
        /// A driver was bound (uevent `bind`).
        case driverBound = "driver-bound"
        /// A driver was unbound (uevent `unbind`).
        case driverUnbound = "driver-unbound"
        /// `sriov_numvfs` or another attribute changed (uevent `change`).
        case attributeChanged = "attribute-changed"
    }

    /// Which PF.
    public var subject: Subject
    /// What happened.
    public var change: Change

    /// Creates an event.
    public init(subject: Subject, change: Change) {
        self.subject = subject
        self.change = change
    }
}
