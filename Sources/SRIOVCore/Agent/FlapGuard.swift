/// Stops the agent from fighting someone else over a VF: more than ``maxRepairs`` repairs of
/// one VF within ``windowMilliseconds`` and the VF is left alone for ``holdOffMilliseconds``.
/// Pure: the caller passes the time (milliseconds on a monotonic clock).
///
/// The pass asks ``decide(_:at:)`` before repairing a VF and calls ``recordRepair(_:at:)``
/// after. ``Decision/giveUp(repairs:)`` comes once, when the VF crosses the line (the pass
/// logs an error line and counts it); afterwards the VF is ``Decision/leftAlone`` until the
/// hold-off ends, and then it starts with a clean slate.
public struct FlapGuard: Sendable {
    /// One VF: its PF's stable device name and its index.
    public struct VF: Hashable, Sendable, CustomStringConvertible {
        /// PF device (PCI address or sysfs device name).
        public var pf: String
        /// VF index.
        public var index: Int

        /// Creates a key.
        public init(pf: String, index: Int) {
            self.pf = pf
            self.index = index
        }

        public var description: String { "\(pf) VF \(index)" }
    }

    /// What to do with a VF that needs a repair.
    public enum Decision: Hashable, Sendable {
        /// Repair it.
        case repair
        /// Too many repairs in the window: leave it alone from now (log this one).
        case giveUp(repairs: Int)
        /// Given up on earlier; still left alone.
        case leftAlone
    }

    /// Repairs allowed within the window.
    public let maxRepairs: Int
    /// The window.
    public let windowMilliseconds: Int
    /// How long a VF given up on is left alone.
    public let holdOffMilliseconds: Int
    private var repairs: [VF: [Int]] = [:]
    private var givenUpUntil: [VF: Int] = [:]

    /// Creates a guard.
    public init(maxRepairs: Int, windowMilliseconds: Int, holdOffMilliseconds: Int) {
        self.maxRepairs = max(1, maxRepairs)
        self.windowMilliseconds = max(0, windowMilliseconds)
        self.holdOffMilliseconds = max(0, holdOffMilliseconds)
    }

    /// Whether `vf` may be repaired at `now`.
    public mutating func decide(_ vf: VF, at now: Int) -> Decision {
        if let until = givenUpUntil[vf] {
            if now < until { return .leftAlone }
            givenUpUntil[vf] = nil
            repairs[vf] = nil
        }
        let recent = (repairs[vf] ?? []).filter { $0 > now - windowMilliseconds }
        repairs[vf] = recent.isEmpty ? nil : recent
        guard recent.count >= maxRepairs else { return .repair }
        givenUpUntil[vf] = now + holdOffMilliseconds
        return .giveUp(repairs: recent.count)
    }

    /// Notes that `vf` was repaired at `now`.
    public mutating func recordRepair(_ vf: VF, at now: Int) {
        repairs[vf, default: []].append(now)
    }

    /// The VFs left alone at `now`, in PF and index order.
    public func givenUp(at now: Int) -> [VF] {
        givenUpUntil.filter { $0.value > now }.keys.sorted { ($0.pf, $0.index) < ($1.pf, $1.index) }
    }
}
