/// A 48-bit Ethernet MAC address.
///
/// Parsing accepts `aa:bb:cc:dd:ee:ff` and `aa-bb-cc-dd-ee-ff` in either case, each
/// octet exactly two ASCII hex digits (not `2:a:…`, `002:…` or `+a`); the canonical text form is lower case with colons, as iproute2 and libvirt print it.
public struct MACAddress: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The six octets, most significant first.
    public let octets: [UInt8]

    /// Creates an address from exactly six octets; `nil` otherwise.
    public init?(octets: [UInt8]) {
        guard octets.count == 6 else { return nil }
        self.octets = octets
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (or with dashes): six octets of exactly two ASCII hex
    /// digits each. Returns `nil` for anything else, including a sign (`02:+a:…`, which
    /// `UInt8(_:radix:)` would take), one or three digits, or mixed separators.
    public init?(_ text: String) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 17 else { return nil }
        let separator = utf8[2]
        guard separator == UInt8(ascii: ":") || separator == UInt8(ascii: "-") else { return nil }
        var bytes: [UInt8] = []
        for octet in 0..<6 {
            let at = octet * 3
            if octet > 0 && utf8[at - 1] != separator { return nil }
            guard let high = Self.hexDigit(utf8[at]), let low = Self.hexDigit(utf8[at + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        self.octets = bytes
    }

    /// The value of one ASCII hex digit, `nil` for any other byte.
    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
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
