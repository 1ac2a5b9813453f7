/// One VF setting as the kernel applies it, in the order `do_setvfinfo()` in
/// net/core/rtnetlink.c (Linux 6.1) applies them: MAC, VLAN, rate, spoof check, link
/// state, trust. The kernel stops at the first error, so every attribute before a failing
/// one stays applied.
///
/// The netlink adapter and the in-memory fake both take their order, their field names
/// and their read-modify-write of the rate pair from here, so they report `applied` alike.
public enum VFKernelAttribute: Int, CaseIterable, Comparable, Sendable {
    case mac, vlan, rate, spoofCheck, linkState, trust

    public static func < (lhs: VFKernelAttribute, rhs: VFKernelAttribute) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The name used for this attribute in injected failures and docs: its field's name
    /// (``VFField``), and `rate` for the pair of rates.
    public var name: String {
        switch self {
        case .rate: "rate"
        default: fields[0].name
        }
    }

    /// The ``VFField``s this attribute carries (`rate`: both rates).
    public var fields: [VFField] { VFField.allCases.filter { $0.kernelAttribute == self } }

    /// What the user is told a driver does not support: "does not support setting the MAC".
    public var operation: String {
        switch self {
        case .mac: "setting the MAC"
        case .vlan: "setting the VLAN"
        case .rate: "setting the TX rate"
        case .spoofCheck: "setting spoof checking"
        case .linkState: "setting the link state"
        case .trust: "setting trust"
        }
    }

    /// The ``VFField`` names `settings` sets under this attribute, as reported in `applied`
    /// (`rate` is `minTxRate`, `maxTxRate` or both).
    public func fieldNames(in settings: VFSettings) -> [String] {
        fields.filter { settings.has($0) }.map(\.name)
    }

    /// The attributes `settings` carries, in the kernel's order.
    public static func present(in settings: VFSettings) -> [VFKernelAttribute] {
        allCases.filter { !$0.fieldNames(in: settings).isEmpty }
    }

    /// The rate pair to send for VF `index`: the kernel takes both limits together, so a
    /// limit not in `settings` keeps the VF's `current` one. `nil` when `settings` sets no
    /// rate; throws when the resulting pair would be inverted (minimum above a non-zero maximum).
    public static func ratePair(for settings: VFSettings, current: VFState?, pf: String,
                                index: Int) throws(SRIOVError) -> (min: Int, max: Int)? {
        guard settings.minTxRate != nil || settings.maxTxRate != nil else { return nil }
        let min = settings.minTxRate ?? current?.minTxRate ?? 0
        let max = settings.maxTxRate ?? current?.maxTxRate ?? 0
        if max != 0 && min > max {
            let which = settings.minTxRate == nil ? "current minimum rate" : "minimum rate"
            let other = settings.maxTxRate == nil ? "current maximum rate" : "maximum rate"
            throw SRIOVError(.invalidValue, "\(pf) VF \(index): \(which) \(min) Mbps would be above the \(other) \(max) Mbps")
        }
        return (min, max)
    }
}
