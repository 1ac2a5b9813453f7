/// A whole-number field a user types (on the command line, in config.yaml or in a `vf apply`
/// line), with the bounds the kernel or the state database take for it.
///
/// Every such number goes through ``parse(_:)`` once, where it is read: plain ASCII decimal
/// digits only (no sign, space, `0x`, `_` or other digit scripts, unlike Swift's
/// `Int(String)`, which takes `+100`), and within ``range``. The messages name the field and
/// the limit; callers put the place (file:line:key, option, JSON key) in front.
public struct NumberField: Hashable, Sendable {
    /// How the field is named in messages: `VLAN`, `maximum rate`.
    public let noun: String
    /// The values the field takes.
    public let range: ClosedRange<Int>
    /// The unit, when there is one (`Mbps`).
    public let unit: String?
    /// Why the upper bound is what it is, when it is not obvious.
    public let limitReason: String?

    /// Creates a field.
    public init(noun: String, range: ClosedRange<Int>, unit: String? = nil, limitReason: String? = nil) {
        self.noun = noun
        self.range = range
        self.unit = unit
        self.limitReason = limitReason
    }

    /// The largest rate the kernel takes: `struct ifla_vf_rate` holds u32 Mbps.
    public static let maxRateMbps = Int(UInt32.max)

    /// A VF's port VLAN id, 0...4095.
    public static let vlanID = NumberField(noun: "VLAN", range: 0...4095)
    /// A port VLAN's 802.1p priority, 0...7.
    public static let vlanQoS = NumberField(noun: "VLAN QoS", range: 0...7)
    /// Minimum TX rate, 0...4294967295 Mbps (u32 in `IFLA_VF_RATE`).
    public static let minRate = NumberField(noun: "minimum rate", range: 0...maxRateMbps, unit: "Mbps",
                                            limitReason: "the kernel's rate fields are 32-bit")
    /// Maximum TX rate, 0...4294967295 Mbps (u32 in `IFLA_VF_RATE`).
    public static let maxRate = NumberField(noun: "maximum rate", range: 0...maxRateMbps, unit: "Mbps",
                                            limitReason: "the kernel's rate fields are 32-bit")
    /// A VF index, 0...65534 (a PF has at most 65535 VFs: `sriov_totalvfs` is 16-bit in PCI).
    public static let vfIndex = NumberField(noun: "VF index", range: 0...65534,
                                            limitReason: "a PF has at most 65535 VFs")
    /// How many VFs a PF gets (`num_vfs`), 0...65535.
    public static let vfCount = NumberField(noun: "VF count", range: 0...65535,
                                            limitReason: "a PF has at most 65535 VFs")
    /// A guest's interface slot on a network, 0...65534 (never more than a PF's VFs).
    public static let slot = NumberField(noun: "slot", range: 0...65534,
                                         limitReason: "a guest cannot have more VFs than a PF has")

    /// A NUMA node, 0...1023 (the kernel's `MAX_NUMNODES` at most, `CONFIG_NODES_SHIFT` 10).
    public static let numaNode = NumberField(noun: "NUMA node", range: 0...1023,
                                             limitReason: "the kernel has at most 1024 nodes")

    /// Parses `text` as a plain decimal number within ``range``.
    ///
    /// Throws `.invalidValue` with a message such as `VLAN '+100' is not a plain decimal number
    /// (digits 0-9 only: no sign, space, 0x or _)` or `maximum rate 4294967296 Mbps is out of
    /// range (0-4294967295 Mbps; the kernel's rate fields are 32-bit)`. Leading zeros are
    /// accepted (`007` is 7); an empty text is refused; `-5` is out of range.
    public func parse(_ text: some StringProtocol) throws(SRIOVError) -> Int {
        let utf8 = text.utf8
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        // `-5` is a number, only not one this field takes: say so (the bound, not the syntax).
        if utf8.first == UInt8(ascii: "-"), utf8.count > 1, utf8.dropFirst().allSatisfy(isDigit) {
            throw outOfRange(String(text))
        }
        guard !utf8.isEmpty, utf8.allSatisfy(isDigit) else {
            throw SRIOVError(.invalidValue, "\(noun) '\(TextRules.escaped(String(text)))' is not a plain decimal "
                             + "number (digits 0-9 only: no sign, space, 0x or _)")
        }
        // Too many digits for Int is out of range too; leading zeros do not count.
        let significant = utf8.drop { $0 == 0x30 }
        guard significant.count <= 18 else { throw outOfRange(String(text)) }
        let value = significant.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        try check(value)
        return value
    }

    /// Checks a number that is already an `Int` (from a caller that did not read text) against
    /// ``range``, with the same message as ``parse(_:)``.
    public func check(_ value: Int) throws(SRIOVError) {
        guard range.contains(value) else { throw outOfRange(String(value)) }
    }

    private func outOfRange(_ shown: String) -> SRIOVError {
        let unitText = unit.map { " \($0)" } ?? ""
        let why = limitReason.map { "; \($0)" } ?? ""
        return SRIOVError(.invalidValue, "\(noun) \(shown)\(unitText) is out of range "
                          + "(\(range.lowerBound)-\(range.upperBound)\(unitText)\(why))")
    }
}
