/// What the agent has done since it started, as plain counters: the source of the agent's
/// Prometheus metrics (the API's `GET /metrics` turns a copy into text) and of its health.
///
/// A value: read a consistent copy with ``AgentStatisticsRecorder/snapshot()``. Times are
/// seconds; wall-clock times are seconds since the Unix epoch. Nothing here knows Prometheus.
public struct AgentStatistics: Hashable, Sendable, Codable {
    /// One repaired field of one PF: the key of ``repairs``.
    public struct RepairKey: Hashable, Sendable, Codable {
        /// The PF's stable device name (PCI address, or sysfs device name).
        public var pf: String
        /// What was repaired: a ``VFField`` name (`mac`, `vlan`, `spoofchk`, `trust`,
        /// `linkState`, `minTxRate`, `maxTxRate`) or a PF setting (`num_vfs`, `vfio`,
        /// `drivers_autoprobe`).
        public var field: String

        /// Creates a key.
        public init(pf: String, field: String) {
            self.pf = pf
            self.field = field
        }
    }

    /// One VF: its PF's stable device name and its index (the key of ``giveUpsByVF``).
    public struct VFKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
        /// The PF's stable device name (PCI address, or sysfs device name).
        public var pf: String
        /// The VF's index.
        public var vf: Int

        /// Creates a key.
        public init(pf: String, vf: Int) {
            self.pf = pf
            self.vf = vf
        }

        /// `0000:03:00.0 VF 3`.
        public var description: String { "\(pf) VF \(vf)" }

        public static func < (lhs: VFKey, rhs: VFKey) -> Bool { (lhs.pf, lhs.vf) < (rhs.pf, rhs.vf) }
    }

    /// Upper bounds (seconds) of the pass-duration histogram buckets; the last bucket is +Inf.
    public static let passDurationBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

    /// Passes run, by trigger name (``AgentTrigger/name``: startup, timer, event, api, reload).
    public var passesByTrigger: [String: Int] = [:]
    /// Passes that ended with a failure (a PF not provisioned, a netlink request refused).
    public var failedPasses: Int = 0
    /// Pass durations: count per bucket of ``passDurationBuckets`` (cumulative counts are the
    /// reader's job), plus one more for +Inf. Same length as the bucket list plus one.
    public var passDurationBucketCounts: [Int] = Array(repeating: 0, count: passDurationBuckets.count + 1)
    /// Number of passes measured.
    public var passDurationCount: Int = 0
    /// Sum of every pass's duration.
    public var passDurationSumSeconds: Double = 0
    /// Repairs made, by PF and field.
    public var repairs: [RepairKey: Int] = [:]
    /// Errors from the event sockets (receive errors, lost messages: ENOBUFS, malformed messages).
    public var netlinkErrors: Int = 0
    /// Kernel events received (link notifications and uevents), before coalescing.
    public var eventsReceived: Int = 0
    /// When the last pass that finished without a failure ended; `nil` before the first one.
    public var lastSuccessfulPassTime: Double?
    /// VFs the flap guard leaves alone right now, in PF and index order.
    public var vfsGivenUp: [VFKey] = []
    /// Times the flap guard gave up on a VF, all VFs.
    public var giveUps: Int = 0
    /// Times the flap guard gave up, by VF.
    public var giveUpsByVF: [VFKey: Int] = [:]
    /// VFs per PF (stable device name) by state, as the last pass over that PF left them
    /// (``VFStateCounts``); a pass over every PF drops the PFs it no longer sees.
    public var vfStates: [String: VFStateCounts] = [:]
    /// Config reloads (SIGHUP), by outcome: `applied`, `rejected`.
    public var configReloads: [String: Int] = [:]

    /// Empty statistics.
    public init() {}

    /// Counts a pass.
    public mutating func recordPass(trigger: AgentTrigger, seconds: Double, succeeded: Bool, endedAt wallTime: Double) {
        passesByTrigger[trigger.name, default: 0] += 1
        let bucket = Self.passDurationBuckets.firstIndex { seconds <= $0 } ?? Self.passDurationBuckets.count
        passDurationBucketCounts[bucket] += 1
        passDurationCount += 1
        passDurationSumSeconds += seconds
        if succeeded { lastSuccessfulPassTime = wallTime } else { failedPasses += 1 }
    }

    /// Counts one repaired field of a PF.
    public mutating func recordRepair(pf: String, field: String) {
        repairs[RepairKey(pf: pf, field: field), default: 0] += 1
    }

    /// Counts a time the flap guard gave up on `vf`.
    public mutating func recordGiveUp(_ vf: VFKey) {
        giveUps += 1
        giveUpsByVF[vf, default: 0] += 1
    }

    /// Total passes, all triggers.
    public var passes: Int { passesByTrigger.values.reduce(0, +) }
}
