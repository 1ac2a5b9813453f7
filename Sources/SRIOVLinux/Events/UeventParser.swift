public import SRIOVCore

/// Reads one kernel uevent datagram (`NETLINK_KOBJECT_UEVENT`, group 1) into a ``PFEvent``:
/// a PCI function added, removed, bound or unbound (a VF appearing when `sriov_numvfs` is
/// written, a driver moving), a network interface added or removed, a netdevsim device
/// created or deleted.
///
/// The datagram is `ACTION@DEVPATH\0` followed by `KEY=value\0` pairs. Only `ACTION`,
/// `SUBSYSTEM`, `PCI_SLOT_NAME` and `INTERFACE` are read; messages from udev (`libudev`
/// header) are ignored. Untrusted bytes: sizes capped, text checked, anything odd → `nil`.
public enum UeventParser {
    /// A uevent never exceeds the kernel's UEVENT_BUFFER_SIZE (2048) plus its header.
    static let maximumLength = 8192

    /// The event, `nil` when the uevent is about nothing the agent watches or is malformed.
    /// `malformed` is set when the bytes could not be read at all.
    public static func parse(_ bytes: [UInt8]) -> (event: PFEvent?, malformed: Bool) {
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return (nil, true) }
        if bytes.starts(with: Array("libudev".utf8)) { return (nil, false) }
        var fields: [String: String] = [:]
        var first = true
        for part in bytes.split(separator: 0, omittingEmptySubsequences: true) {
            if first {
                first = false
                guard part.contains(UInt8(ascii: "@")) else { return (nil, true) }
                continue
            }
            guard let equals = part.firstIndex(of: UInt8(ascii: "=")) else { continue }
            guard let key = String(validating: part[part.startIndex..<equals], as: UTF8.self),
                  let value = String(validating: part[(equals + 1)...], as: UTF8.self) else { return (nil, true) }
            if ["ACTION", "SUBSYSTEM", "PCI_SLOT_NAME", "INTERFACE", "DEVPATH"].contains(key) { fields[key] = value }
        }
        guard !first, let action = fields["ACTION"], let subsystem = fields["SUBSYSTEM"] else { return (nil, true) }
        let change: PFEvent.Change
        switch action {
        case "add": change = .added
        case "remove": change = .removed
        case "bind": change = .driverBound
        case "unbind": change = .driverUnbound
        case "change": change = .attributeChanged
        default: return (nil, false)   // move, online, offline
        }
        switch subsystem {
        case "pci":
            guard let slot = fields["PCI_SLOT_NAME"], let address = PCIAddress(slot) else { return (nil, true) }
            return (PFEvent(subject: .pci(address), change: change), false)
        case "net":
            guard let name = fields["INTERFACE"], !name.isEmpty, name.utf8.count < 16, !name.contains("/"),
                  TextRules.firstForbiddenInName(name) == nil else { return (nil, true) }
            return (PFEvent(subject: .netdev(name), change: change), false)
        case "netdevsim":
            // A netdevsim device (bus device, not a PCI function) created or deleted: its PF is
            // new or gone; the router sends the agent over every PF.
            return (PFEvent(subject: .everyPF, change: change), false)
        default:
            return (nil, false)
        }
    }
}
