import SRIOVCore
import Synchronization

/// An in-memory libvirt: ``GuestDomainControlling`` over a list of guests.
///
/// `attachDevice` reads the `<mac address='…'/>` and the `<address … bus=… slot=…/>` of
/// the XML it gets and adds that interface to the guest; `detachDevice` removes the
/// interface with that MAC. Failures can be injected; every call is recorded.
public final class FakeGuestDomains: GuestDomainControlling, Sendable {
    /// One recorded call.
    public struct Call: Hashable, Sendable {
        /// `attach` or `detach`.
        public var action: String
        /// Guest name.
        public var guest: String
        /// The XML.
        public var xml: String
        /// The scope.
        public var scope: DomainChangeScope
    }

    private struct State {
        var guests: [GuestDefinition]
        var calls: [Call] = []
        var failAttach: SRIOVError?
        var failDetach: SRIOVError?
    }

    private let state: Mutex<State>

    /// Creates a libvirt with `guests`.
    public init(guests: [GuestDefinition] = []) { state = Mutex(State(guests: guests)) }

    /// Adds or replaces a guest.
    public func define(_ guest: GuestDefinition) {
        state.withLock { s in
            s.guests.removeAll { $0.name == guest.name }
            s.guests.append(guest)
        }
    }

    /// Makes attachDevice fail (`nil` to undo).
    public func failAttach(with error: SRIOVError?) { state.withLock { $0.failAttach = error } }

    /// Makes detachDevice fail (`nil` to undo).
    public func failDetach(with error: SRIOVError?) { state.withLock { $0.failDetach = error } }

    /// Every attach/detach call so far.
    public var calls: [Call] { state.withLock { $0.calls } }

    public func listGuests() throws(SRIOVError) -> [GuestDefinition] { state.withLock { $0.guests } }

    public func guest(named name: String) throws(SRIOVError) -> GuestDefinition? {
        state.withLock { s in s.guests.first { $0.name == name } }
    }

    public func attachDevice(xml: String, to guest: String, scope: DomainChangeScope) throws(SRIOVError) {
        let result: SRIOVError? = state.withLock { s in
            s.calls.append(Call(action: "attach", guest: guest, xml: xml, scope: scope))
            if let error = s.failAttach { return error }
            guard let i = s.guests.firstIndex(where: { $0.name == guest }) else {
                return SRIOVError(.libvirt, "Domain not found: no domain with matching name '\(guest)'")
            }
            guard let mac = Self.attribute("address", of: "mac", in: xml).flatMap(MACAddress.init) else {
                return SRIOVError(.libvirt, "XML error: missing <mac address>")
            }
            s.guests[i].hostdevInterfaces.append(GuestInterface(mac: mac, vfPCIAddress: Self.pciAddress(in: xml)))
            return nil
        }
        if let result { throw result }
    }

    public func detachDevice(xml: String, from guest: String, scope: DomainChangeScope) throws(SRIOVError) {
        let result: SRIOVError? = state.withLock { s in
            s.calls.append(Call(action: "detach", guest: guest, xml: xml, scope: scope))
            if let error = s.failDetach { return error }
            guard let i = s.guests.firstIndex(where: { $0.name == guest }) else {
                return SRIOVError(.libvirt, "Domain not found: no domain with matching name '\(guest)'")
            }
            let mac = Self.attribute("address", of: "mac", in: xml).flatMap(MACAddress.init)
            s.guests[i].hostdevInterfaces.removeAll { $0.mac == mac }
            return nil
        }
        if let result { throw result }
    }

    /// The value of `name='…'` in the first `<element …>` of `xml`.
    static func attribute(_ name: String, of element: String, in xml: String) -> String? {
        guard let start = xml.firstRange(of: "<\(element) ") else { return nil }
        let rest = xml[start.upperBound...]
        guard let end = rest.firstIndex(of: ">") else { return nil }
        let tag = rest[..<end]
        for quote in ["'", "\""] {
            if let a = tag.firstRange(of: "\(name)=\(quote)") {
                let value = tag[a.upperBound...]
                if let close = value.firstIndex(of: Character(quote)) { return String(value[..<close]) }
            }
        }
        return nil
    }

    static func pciAddress(in xml: String) -> PCIAddress? {
        guard let domain = attribute("domain", of: "address", in: xml),
              let bus = attribute("bus", of: "address", in: xml),
              let slot = attribute("slot", of: "address", in: xml),
              let function = attribute("function", of: "address", in: xml) else { return nil }
        func number(_ text: String) -> Int? { Int(text.hasPrefix("0x") ? String(text.dropFirst(2)) : text, radix: 16) }
        guard let d = number(domain), let b = number(bus), let s = number(slot), let f = number(function) else { return nil }
        return PCIAddress(domain: UInt16(d), bus: UInt8(b), slot: UInt8(s), function: UInt8(f))
    }
}
