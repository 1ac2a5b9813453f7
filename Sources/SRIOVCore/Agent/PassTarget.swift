/// What one agent pass covers: one PF, or every PF (the periodic pass, the first pass, an
/// event that names no PF the agent knows).
public enum PassTarget: Hashable, Sendable, CustomStringConvertible {
    /// One PF, by its stable device name: PCI address, or sysfs device name for a PF that
    /// is not a PCI function (`netdevsim10`). The same name as ``AssignedVF/pfDevice``.
    case pf(String)
    /// Every PF on the host.
    case everyPF

    public var description: String {
        switch self {
        case .pf(let device): device
        case .everyPF: "every PF"
        }
    }
}
