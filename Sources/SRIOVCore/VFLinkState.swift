/// A VF's administrative link state as the PF driver reports it (`IFLA_VF_LINK_STATE`).
public enum VFLinkState: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Follows the PF's link (kernel value 0).
    case auto
    /// Always up (kernel value 1).
    case enable
    /// Always down (kernel value 2).
    case disable

    /// The kernel's `IFLA_VF_LINK_STATE_*` value.
    public var kernelValue: UInt32 {
        switch self {
        case .auto: 0
        case .enable: 1
        case .disable: 2
        }
    }

    /// The state for a kernel value; `nil` for an unknown one.
    public init?(kernelValue: UInt32) {
        switch kernelValue {
        case 0: self = .auto
        case 1: self = .enable
        case 2: self = .disable
        default: return nil
        }
    }

    public var description: String { rawValue }
}
