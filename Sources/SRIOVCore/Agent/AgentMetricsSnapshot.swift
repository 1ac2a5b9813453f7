/// What the agent's daemon side knows for `GET /metrics` (names in docs/metrics.md), read
/// at each scrape through ``AgentMetricsSource``. Counters are totals since the agent
/// started; the API server writes them as they are and never adds to them.
public struct AgentMetricsSnapshot: Hashable, Sendable {
    /// VFs of one PF by state, as the last pass saw them.
    public struct PFVFStates: Hashable, Sendable {
        /// The PF's stable device name (PCI address, or sysfs device name), as in ``RepairCount``.
        public var pf: String
        /// VFs held by a guest (`sriovctl_vfs{state="assigned"}`).
        public var assigned: Int
        /// VFs nobody holds.
        public var free: Int
        /// Free VFs that still carry a guest's or a foreign MAC.
        public var stale: Int
        /// Assigned VFs whose settings differ from the database.
        public var drifted: Int

        /// Creates a count.
        public init(pf: String, assigned: Int = 0, free: Int = 0, stale: Int = 0, drifted: Int = 0) {
            self.pf = pf
            self.assigned = assigned
            self.free = free
            self.stale = stale
            self.drifted = drifted
        }
    }

    /// Repairs of one field on one PF (`sriovctl_repairs_total{pf,field}`).
    public struct RepairCount: Hashable, Sendable {
        /// The PF's stable device name (PCI address, or sysfs device name).
        public var pf: String
        /// The field repaired: a ``VFField`` name (`mac`, `vlan`, `spoofchk`, `trust`, `linkState`,
        /// `minTxRate`, `maxTxRate`) or a PF setting (`num_vfs`, `vfio`, `drivers_autoprobe`).
        public var field: String
        /// Repairs since the agent started.
        public var count: Int

        /// Creates a count.
        public init(pf: String, field: String, count: Int) {
            self.pf = pf
            self.field = field
            self.count = count
        }
    }

    /// VFs per PF by state.
    public var vfStates: [PFVFStates]
    /// Repairs by PF and field.
    public var repairs: [RepairCount]
    /// How long passes took.
    public var passDurations: AgentPassDurations
    /// Passes by what started them.
    public var passesByTrigger: [AgentPassTrigger: Int]
    /// When the last pass that ended without error finished, in seconds since 1970; `nil` before the first.
    public var lastSuccessfulPass: Double?
    /// Netlink requests that failed (sends, replies with an error, unreadable events).
    public var netlinkErrors: Int
    /// Leases per network (attached and free).
    public var leasesPerNetwork: [String: Int]
    /// MACs of `mac_pool` no lease or quarantine holds.
    public var freeMACsInPool: Int
    /// Times the flap guard gave up on a VF, by VF (`sriovctl_flap_give_ups_total{pf,vf}`).
    public var flapGiveUps: [AgentStatistics.VFKey: Int]
    /// VFs the flap guard leaves alone now (`sriovctl_flap_left_alone{pf,vf}`).
    public var vfsLeftAlone: [AgentStatistics.VFKey]

    /// Creates a snapshot; everything defaults to nothing seen yet.
    public init(vfStates: [PFVFStates] = [], repairs: [RepairCount] = [],
                passDurations: AgentPassDurations = AgentPassDurations(),
                passesByTrigger: [AgentPassTrigger: Int] = [:], lastSuccessfulPass: Double? = nil,
                netlinkErrors: Int = 0, leasesPerNetwork: [String: Int] = [:], freeMACsInPool: Int = 0,
                flapGiveUps: [AgentStatistics.VFKey: Int] = [:], vfsLeftAlone: [AgentStatistics.VFKey] = []) {
        self.vfStates = vfStates
        self.repairs = repairs
        self.passDurations = passDurations
        self.passesByTrigger = passesByTrigger
        self.lastSuccessfulPass = lastSuccessfulPass
        self.netlinkErrors = netlinkErrors
        self.leasesPerNetwork = leasesPerNetwork
        self.freeMACsInPool = freeMACsInPool
        self.flapGiveUps = flapGiveUps
        self.vfsLeftAlone = vfsLeftAlone
    }
}

/// What started a pass (`sriovctl_passes_total{trigger}`): the agent's ``AgentTrigger`` names.
public enum AgentPassTrigger: String, Hashable, Sendable, CaseIterable {
    /// A netlink link notification or a uevent.
    case event
    /// The periodic safety-net pass.
    case timer
    /// A request on the local API.
    case api
    /// The first pass after start.
    case startup
    /// SIGHUP loaded a new config.
    case reload
}

/// Where the API server reads the daemon's numbers from at each scrape. The agent's
/// statistics holder conforms; tests hand a fixed snapshot.
public protocol AgentMetricsSource: Sendable {
    /// The numbers as they are now.
    func metricsSnapshot() async -> AgentMetricsSnapshot
}

/// A source that always answers the same snapshot: an agent without a daemon loop, and tests.
public struct FixedAgentMetricsSource: AgentMetricsSource {
    /// The snapshot answered.
    public var snapshot: AgentMetricsSnapshot

    /// Creates a source answering `snapshot`.
    public init(_ snapshot: AgentMetricsSnapshot = AgentMetricsSnapshot()) { self.snapshot = snapshot }

    /// The fixed snapshot.
    public func metricsSnapshot() async -> AgentMetricsSnapshot { snapshot }
}
