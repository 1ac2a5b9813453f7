/// The verdict of one readiness check, ordered from best to worst.
///
/// The worst verdict of a run decides `sriovctl doctor`'s exit code: 0 when every check
/// passes, 1 when the worst is a warning, 2 when something fails.
public enum ReadinessStatus: String, Hashable, Sendable, Codable, Comparable, CaseIterable {
    /// Ready (or the check does not apply to this host).
    case pass
    /// Works, but is risky or likely to cause trouble later.
    case warn
    /// Passthrough will not work until this is fixed.
    case fail

    /// The process exit code for a run whose worst verdict is this one.
    public var exitCode: Int32 {
        switch self {
        case .pass: 0
        case .warn: 1
        case .fail: 2
        }
    }

    /// The fixed-width word shown in human output: `[ OK ]`, `[WARN]`, `[FAIL]`.
    public var label: String {
        switch self {
        case .pass: "[ OK ]"
        case .warn: "[WARN]"
        case .fail: "[FAIL]"
        }
    }

    public static func < (lhs: ReadinessStatus, rhs: ReadinessStatus) -> Bool {
        lhs.rank < rhs.rank
    }

    private var rank: Int {
        switch self {
        case .pass: 0
        case .warn: 1
        case .fail: 2
        }
    }
}
