/// The outcome of applying VF changes to one PF.
public struct VFApplyReport: Hashable, Sendable, Codable {
    /// One VF's outcome.
    public struct Outcome: Hashable, Sendable, Codable {
        /// VF index.
        public var index: Int
        /// Fields that are known to be applied (a failing request may have applied some first).
        public var applied: [String]
        /// The error, `nil` on success.
        public var error: SRIOVErrorRecord?
        /// Notes such as "driver refused the zero MAC; used 02:00:00:00:00:00 as libvirt does".
        public var notes: [String]

        /// Creates an outcome.
        public init(index: Int, applied: [String], error: SRIOVErrorRecord? = nil, notes: [String] = []) {
            self.index = index
            self.applied = applied
            self.error = error
            self.notes = notes
        }
    }

    /// PF netdev.
    public var pf: String
    /// Per-VF outcomes, by index.
    public var outcomes: [Outcome]
    /// Netlink requests sent (1 when the whole PF went in one request).
    public var requests: Int

    /// Creates a report.
    public init(pf: String, outcomes: [Outcome], requests: Int) {
        self.pf = pf
        self.outcomes = outcomes
        self.requests = requests
    }

    /// The failures.
    public var failures: [Outcome] { outcomes.filter { $0.error != nil } }
    /// True when every VF was applied.
    public var succeeded: Bool { failures.isEmpty }
}
