public import SRIOVCore
import Synchronization

/// An in-memory libvirt for tests of attach, detach and audit: guests with hostdev interfaces,
/// changed by the device XML that ``LibvirtInterfaceXML`` renders.
///
/// It behaves like libvirt 9.0's QEMU driver where that matters to callers (checked against a
/// real libvirtd in SRIOVLibvirtTests):
/// - unknown guest: `.notFound` "guest 'x': no such guest on fake:///";
/// - `.config` changes ``GuestDefinition/hostdevInterfaces``, `.live` changes
///   ``GuestDefinition/liveHostdevInterfaces`` and needs a running guest (`.libvirt` otherwise);
///   an empty scope means live when running, else config;
/// - attaching the same interface twice is accepted (libvirt does not refuse it) and leaves it
///   twice; detaching then fails with `.libvirt` "multiple devices matching MAC address";
/// - detaching an interface the guest does not have is `.notFound`.
/// Every call is recorded in ``calls``; ``failNext(_:)`` makes the next attach or detach throw.
public final class FakeGuestDomains: GuestDomainControlling {
    /// One recorded attach or detach.
    public struct Call: Hashable, Sendable {
        /// `attach` or `detach`.
        public var operation: String
        /// The guest name given.
        public var guest: String
        /// The device XML given.
        public var xml: String
        /// The scope given.
        public var scope: DomainChangeScope

        /// Creates a call record (to compare with ``FakeGuestDomains/calls``).
        public init(operation: String, guest: String, xml: String, scope: DomainChangeScope) {
            self.operation = operation
            self.guest = guest
            self.xml = xml
            self.scope = scope
        }
    }

    private struct State {
        var guests: [String: GuestDefinition] = [:]
        var calls: [Call] = []
        var nextFailure: SRIOVError?
    }

    private let state = Mutex(State())

    /// Creates a fake holding `guests`.
    public init(guests: [GuestDefinition] = []) {
        state.withLock { state in
            for guest in guests { state.guests[guest.name] = guest }
        }
    }

    /// Adds or replaces a guest. A running guest without ``GuestDefinition/liveHostdevInterfaces``
    /// gets a copy of its persistent interfaces.
    public func define(_ guest: GuestDefinition) {
        var guest = guest
        if guest.isActive && guest.liveHostdevInterfaces == nil { guest.liveHostdevInterfaces = guest.hostdevInterfaces }
        if !guest.isActive { guest.liveHostdevInterfaces = nil }
        state.withLock { $0.guests[guest.name] = guest }
    }

    /// Every attach and detach so far, in order (failed ones too).
    public var calls: [Call] { state.withLock { $0.calls } }

    /// Makes the next attach or detach throw `error` without changing anything.
    public func failNext(_ error: SRIOVError) {
        state.withLock { $0.nextFailure = error }
    }

    /// Every guest, sorted by name.
    public func listGuests() throws(SRIOVError) -> [GuestDefinition] {
        state.withLock { $0.guests.values.sorted { $0.name < $1.name } }
    }

    /// The guest named `name`, or `nil`.
    public func guest(named name: String) throws(SRIOVError) -> GuestDefinition? {
        state.withLock { $0.guests[name] }
    }

    /// Adds the interface in `xml` to the guest's definitions selected by `scope`.
    public func attachDevice(xml: String, to guest: String, scope: DomainChangeScope) throws(SRIOVError) {
        try change("attach", xml: xml, guest: guest, scope: scope) { interfaces, interface throws(SRIOVError) in
            interfaces.append(interface)
        }
    }

    /// Removes the interface in `xml` (matched by MAC, then PCI source) from the selected definitions.
    public func detachDevice(xml: String, from guest: String, scope: DomainChangeScope) throws(SRIOVError) {
        try change("detach", xml: xml, guest: guest, scope: scope) { interfaces, interface throws(SRIOVError) in
            let matches = interfaces.indices.filter { interfaces[$0].mac == interface.mac }
            if matches.count > 1 {
                throw SRIOVError(.libvirt, "guest '\(guest)': libvirt: operation failed: multiple devices matching MAC address \(interface.mac) found")
            }
            guard let index = matches.first,
                  interface.vfPCIAddress == nil || interfaces[index].vfPCIAddress == interface.vfPCIAddress else {
                throw SRIOVError(.notFound, "guest '\(guest)': libvirt: device not found: no device matching MAC address '\(interface.mac)'")
            }
            interfaces.remove(at: index)
        }
    }

    private func change(_ operation: String, xml: String, guest name: String, scope: DomainChangeScope,
                        _ edit: (inout [GuestInterface], GuestInterface) throws(SRIOVError) -> Void) throws(SRIOVError) {
        try state.withLock { (state: inout State) throws(SRIOVError) in
            state.calls.append(Call(operation: operation, guest: name, xml: xml, scope: scope))
            if let failure = state.nextFailure {
                state.nextFailure = nil
                throw failure
            }
            guard var guest = state.guests[name] else {
                throw SRIOVError(.notFound, "guest '\(name)': no such guest on fake:///")
            }
            // The virtio half of a failover pair: kept by MAC (persistent definition), as the
            // domain XML reader keeps it.
            if operation == "attach", xml.hasPrefix("<interface type='network'") || xml.hasPrefix("<interface type='bridge'"),
               let mac = Self.attribute("address", after: "<mac ", in: xml).flatMap(MACAddress.init) {
                if scope.contains(.live) && !guest.isActive {
                    throw SRIOVError(.libvirt, "guest '\(name)': libvirt: Requested operation is not valid: domain is not running")
                }
                if scope.contains(.config) || !guest.isActive { guest.otherInterfaceMACs.append(mac) }
                state.guests[name] = guest
                return
            }
            guard let interface = Self.interface(in: xml) else {
                throw SRIOVError(.libvirt, "guest '\(name)': libvirt: XML error: not a hostdev interface with a MAC")
            }
            var scope = scope
            if scope.isEmpty { scope = guest.isActive ? .live : .config }
            if scope.contains(.live) && !guest.isActive {
                throw SRIOVError(.libvirt, "guest '\(name)': libvirt: Requested operation is not valid: domain is not running")
            }
            // Both edits happen on a copy: when one fails, nothing changes (as in libvirt).
            if scope.contains(.config) { try edit(&guest.hostdevInterfaces, interface) }
            if scope.contains(.live) {
                var live = guest.liveHostdevInterfaces ?? []
                try edit(&live, interface)
                guest.liveHostdevInterfaces = live
            }
            state.guests[name] = guest
        }
    }

    /// Reads back the interface from XML in ``LibvirtInterfaceXML``'s own layout (not a general
    /// XML parser: SRIOVLibvirt's `DomainXMLParser` is, and it is tested against libvirt).
    static func interface(in xml: String) -> GuestInterface? {
        guard xml.contains("<interface type='hostdev'"),
              let mac = attribute("address", after: "<mac ", in: xml).flatMap(MACAddress.init) else { return nil }
        var pci: PCIAddress?
        if let d = attribute("domain", after: "<address type='pci'", in: xml).flatMap(number),
           let b = attribute("bus", after: "<address type='pci'", in: xml).flatMap(number),
           let s = attribute("slot", after: "<address type='pci'", in: xml).flatMap(number),
           let f = attribute("function", after: "<address type='pci'", in: xml).flatMap(number) {
            pci = PCIAddress(domain: UInt16(truncatingIfNeeded: d), bus: UInt8(truncatingIfNeeded: b),
                             slot: UInt8(truncatingIfNeeded: s), function: UInt8(truncatingIfNeeded: f))
        }
        let vlan = attribute("id", after: "<tag ", in: xml).flatMap { Int($0) }.map { PortVLAN(id: $0) }
        let port = attribute("profileid", after: "<parameters ", in: xml).map(VirtualPort.init(profileID:))
        return GuestInterface(mac: mac, vfPCIAddress: pci, vlan: vlan, virtualPort: port)
    }

    /// The value of `name='…'` in the first tag starting with `tag`.
    private static func attribute(_ name: String, after tag: String, in xml: String) -> String? {
        guard let tagStart = xml.firstRange(of: tag) else { return nil }
        let rest = xml[tagStart.lowerBound...]
        let tagText = rest[..<(rest.firstIndex(of: ">") ?? rest.endIndex)]
        guard let key = tagText.firstRange(of: " \(name)='") else { return nil }
        let value = tagText[key.upperBound...]
        guard let end = value.firstIndex(of: "'") else { return nil }
        return String(value[..<end])
            .replacingAll("&apos;", "'").replacingAll("&quot;", "\"").replacingAll("&lt;", "<")
            .replacingAll("&gt;", ">").replacingAll("&amp;", "&")
    }

    private static func number(_ text: String) -> UInt64? {
        text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }
}

private extension String {
    /// Without Foundation: every `target` replaced by `replacement`.
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
