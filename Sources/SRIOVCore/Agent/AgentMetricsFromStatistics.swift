extension AgentMetricsSnapshot {
    /// The metrics of the agent's ``AgentStatistics``, with the lease numbers of its state
    /// database when it has one. VF states per PF are not counted by the agent yet
    /// (`sriovctl_vfs` stays empty).
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
            repairs: statistics.repairs.map { RepairCount(pf: $0.key.pf, field: $0.key.field, count: $0.value) },
            passDurations: durations, passesByTrigger: passes,
            lastSuccessfulPass: statistics.lastSuccessfulPassTime, netlinkErrors: statistics.netlinkErrors,
            leasesPerNetwork: leases?.leasesPerNetwork ?? [:], freeMACsInPool: leases?.freeMACsInPool ?? 0)
    }
}
