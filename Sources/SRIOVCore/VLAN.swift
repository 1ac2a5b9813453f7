/// The tag protocol of a VF's port VLAN.
public enum VLANProtocol: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// 802.1Q (ethertype 0x8100), the default.
    case ieee8021Q = "802.1Q"
    /// 802.1ad / QinQ service tag (ethertype 0x88a8).
    case ieee8021AD = "802.1ad"

    /// The ethertype the kernel uses for this protocol.
    public var ethertype: UInt16 { self == .ieee8021Q ? 0x8100 : 0x88a8 }

    /// The protocol for an ethertype; `nil` for anything but 0x8100 and 0x88a8.
    public init?(ethertype: UInt16) {
        switch ethertype {
        case 0x8100: self = .ieee8021Q
        case 0x88a8: self = .ieee8021AD
        default: return nil
        }
    }

    /// Parses `802.1Q`/`802.1ad` in any case.
    public init?(text: String) {
        switch text.lowercased() {
        case "802.1q": self = .ieee8021Q
        case "802.1ad": self = .ieee8021AD
        default: return nil
        }
    }

    public var description: String { rawValue }
}

/// A VF's port VLAN: what the PF tags the VF's traffic with. VLAN 0 with QoS 0 means none.
public struct PortVLAN: Hashable, Sendable, Codable, CustomStringConvertible {
    /// VLAN id, 0...4095 (0: untagged).
    public var id: Int
    /// 802.1p priority, 0...7.
    public var qos: Int
    /// Tag protocol.
    public var proto: VLANProtocol

    /// Creates a VLAN setting; values are not validated here (see ``VFSettings/validate(vfIndex:pf:)``).
    public init(id: Int, qos: Int = 0, proto: VLANProtocol = .ieee8021Q) {
        self.id = id
        self.qos = qos
        self.proto = proto
    }

    /// No VLAN: id 0, QoS 0, 802.1Q.
    public static let none = PortVLAN(id: 0)

    /// `100`, `100:3` or `100:3 802.1ad`.
    public var description: String {
        var text = "\(id)"
        if qos != 0 { text += ":\(qos)" }
        if proto != .ieee8021Q { text += " \(proto)" }
        return text
    }

    /// Parses `ID` or `ID:QOS` (the `--vlan` option's form): `nil` when the text has no such
    /// shape. Use ``init(validating:proto:)`` for a message naming what is wrong.
    public init?(parsing text: String, proto: VLANProtocol = .ieee8021Q) {
        guard let vlan = try? PortVLAN(validating: text, proto: proto) else { return nil }
        self = vlan
    }

    /// Parses `ID` or `ID:QOS`, each a plain decimal number (``NumberField/vlanID``,
    /// ``NumberField/vlanQoS``): `+100`, `0x64` or `4096` are refused with a message naming the
    /// value and the range.
    public init(validating text: String, proto: VLANProtocol = .ieee8021Q) throws(SRIOVError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else {
            throw SRIOVError(.invalidValue, "VLAN '\(TextRules.escaped(text))' is not ID or ID:QOS (e.g. 100 or 100:3)")
        }
        let id = try NumberField.vlanID.parse(parts[0])
        let qos = parts.count == 2 ? try NumberField.vlanQoS.parse(parts[1]) : 0
        self.init(id: id, qos: qos, proto: proto)
    }
}
