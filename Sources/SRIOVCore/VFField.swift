/// The seven settings a VF carries, and the one name each has everywhere a user meets it:
/// JSON keys (`attach --format json`, `list --json`, `audit --format json`), the `applied`,
/// `programmed` and `restored` lists, audit drift findings, error messages, and the
/// in-memory fakes. ``VFSettings`` holds their values.
///
/// Adding a field: a case here (its name, option and kernel attribute), a property in
/// ``VFSettings`` (with its lines in the switches of VFSettings.swift), and its encoding and
/// parsing in the netlink adapter (docs/architecture.md).
public enum VFField: String, CaseIterable, Hashable, Sendable, Codable, CodingKey {
    /// Administrative MAC.
    case mac
    /// Port VLAN with its QoS and protocol.
    case vlan
    /// Anti-spoof checking.
    case spoofCheck = "spoofchk"
    /// Trusted mode.
    case trust
    /// Administrative link state.
    case linkState
    /// Minimum TX rate (Mbps).
    case minTxRate
    /// Maximum TX rate (Mbps).
    case maxTxRate

    /// The name users see: `mac`, `vlan`, `spoofchk`, `trust`, `linkState`, `minTxRate`, `maxTxRate`.
    public var name: String { rawValue }

    /// The command-line option of `vf set` and `attach` that sets it.
    public var option: String {
        switch self {
        case .mac: "--mac"
        case .vlan: "--vlan"
        case .spoofCheck: "--spoofchk"
        case .trust: "--trust"
        case .linkState: "--link-state"
        case .minTxRate: "--min-rate"
        case .maxTxRate: "--max-rate"
        }
    }

    /// The kernel attribute (`IFLA_VF_*`) that carries it; both rates share `rate`.
    public var kernelAttribute: VFKernelAttribute {
        switch self {
        case .mac: .mac
        case .vlan: .vlan
        case .spoofCheck: .spoofCheck
        case .trust: .trust
        case .linkState: .linkState
        case .minTxRate, .maxTxRate: .rate
        }
    }

    /// These fields in the kernel's order (the order `applied` lists them in).
    public static let kernelOrder: [VFField] = allCases.sorted {
        ($0.kernelAttribute, $0.declarationIndex) < ($1.kernelAttribute, $1.declarationIndex)
    }

    private var declarationIndex: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
