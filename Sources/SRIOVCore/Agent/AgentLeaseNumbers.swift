/// The lease metrics a state snapshot gives (`sriovctl_leases{network}`,
/// `sriovctl_mac_pool_free`), for the agent's statistics holder to put in its
/// ``AgentMetricsSnapshot`` after each pass.
public struct AgentLeaseNumbers: Hashable, Sendable {
    /// Leases (attached and free) per network.
    public var leasesPerNetwork: [String: Int]
    /// MACs of the pool that no lease or quarantine holds.
    public var freeMACsInPool: Int

    /// The numbers of `snapshot` against `pool`.
    public init(snapshot: StateSnapshot, pool: MACPool) {
        var perNetwork: [String: Int] = [:]
        for lease in snapshot.leases { perNetwork[lease.key.network, default: 0] += 1 }
        leasesPerNetwork = perNetwork
        let held = Set(snapshot.leases.map(\.mac) + snapshot.quarantine.map(\.mac)).filter(pool.contains)
        let size = pool.last.integer >= pool.first.integer ? pool.last.integer - pool.first.integer + 1 : 0
        freeMACsInPool = Int(clamping: size - UInt64(held.count))
    }
}
