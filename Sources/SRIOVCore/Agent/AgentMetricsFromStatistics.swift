extension AgentMetricsSnapshot {
    /// The metrics of the agent's ``AgentStatistics``, with the lease numbers of its state
    /// database when it has one.
    public init(statistics: AgentStatistics, leases: AgentLeaseNumbers?) {
        let bounds = AgentStatistics.passDurationBuckets
        let counts = statistics.passDurationBucketCounts
        let durations = AgentPassDurations(
            upperBounds: bounds, bucketCounts: Array(counts.prefix(bounds.count)),
            overflowCount: counts.count > bounds.count ? counts[bounds.count] : 0,
            sum: statistics.passDurationSumSeconds, count: statistics.passDurationCount)
        var passes: [AgentPassTrigger: Int] = [:]
        for (name, count) in statistics.passesByTrigger {
            if let trigger = AgentPassTrigger(rawValue: name) { passes[trigger, default: 0] += count }
        }
        self.init(
            vfStates: statistics.vfStates.map {
                PFVFStates(pf: $0.key, assigned: $0.value.assigned, free: $0.value.free,
                           stale: $0.value.stale, drifted: $0.value.drifted)
            },
            repairs: statistics.repairs.map { RepairCount(pf: $0.key.pf, field: $0.key.field, count: $0.value) },
            passDurations: durations, passesByTrigger: passes,
            lastSuccessfulPass: statistics.lastSuccessfulPassTime, netlinkErrors: statistics.netlinkErrors,
            leasesPerNetwork: leases?.leasesPerNetwork ?? [:], freeMACsInPool: leases?.freeMACsInPool ?? 0,
            flapGiveUps: statistics.giveUpsByVF, vfsLeftAlone: statistics.vfsGivenUp)
    }
}
