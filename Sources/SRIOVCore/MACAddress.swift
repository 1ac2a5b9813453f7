/// A 48-bit Ethernet MAC address.
///
/// Parsing accepts `aa:bb:cc:dd:ee:ff` and `aa-bb-cc-dd-ee-ff` in either case;
/// the canonical text form is lower case with colons, as iproute2 and libvirt print it.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The six octets, most significant first.
    public let octets: [UInt8]

    /// Creates an address from exactly six octets; `nil` otherwise.
    public init?(octets: [UInt8]) {
        guard octets.count == 6 else { return nil }
        self.octets = octets
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (or with dashes). Returns `nil` for anything else.
    public init?(_ text: String) {
        let separator: Character = text.contains("-") ? "-" : ":"
        let parts = text.split(separator: separator, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard part.count == 2, let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.octets = bytes
    }

    /// Creates an address from the low 48 bits of `value`.
    public init(integer value: UInt64) {
        octets = (0..<6).map { UInt8(truncatingIfNeeded: value >> (8 * (5 - $0))) }
    }

    /// The address as a 48-bit integer.
    public var integer: UInt64 { octets.reduce(0) { ($0 << 8) | UInt64($1) } }

    /// `00:00:00:00:00:00`: what a VF carries when nobody set its MAC.
    public static let zero = MACAddress(integer: 0)
    /// `02:00:00:00:00:00`: the placeholder libvirt writes when a driver refuses the zero MAC.
    public static let placeholder = MACAddress(integer: 0x02_00_00_00_00_00)
    /// `ff:ff:ff:ff:ff:ff`.
    public static let broadcast = MACAddress(integer: 0xff_ff_ff_ff_ff_ff)

    /// True for the all-zero address.
    public var isZero: Bool { integer == 0 }
    /// True when the group bit (bit 0 of the first octet) is set; includes broadcast.
    public var isMulticast: Bool { octets[0] & 0x01 != 0 }
    /// True for `ff:ff:ff:ff:ff:ff`.
    public var isBroadcast: Bool { self == .broadcast }
    /// True when the locally administered bit (bit 1 of the first octet) is set.
    public var isLocallyAdministered: Bool { octets[0] & 0x02 != 0 }
    /// True for the zero MAC and libvirt's `02:00:00:00:00:00` placeholder: "no MAC set".
    public var isUnsetOrPlaceholder: Bool { isZero || self == .placeholder }

    /// `aa:bb:cc:dd:ee:ff`.
    public var description: String { octets.map { hex($0, 2) }.joined(separator: ":") }

    public static func < (lhs: MACAddress, rhs: MACAddress) -> Bool { lhs.integer < rhs.integer }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let mac = MACAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a MAC address: \(text)"))
        }
        self = mac
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
