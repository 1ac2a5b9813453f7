/// Every MAC that a new lease must not get, and why: leased to a guest, quarantined after
/// a `--forget`, or seen on a host interface or a VF.
public struct MACUsage: Sendable {
    /// Leased MACs and the guest holding each.
    public var leased: [MACAddress: String] = [:]
    /// Quarantined MACs.
    public var quarantined: [MACAddress: QuarantinedMAC] = [:]
    /// MACs seen on the host and where: `eth0`, `eni10np1 VF 3`.
    public var seen: [MACAddress: String] = [:]

    /// Creates an empty usage.
    public init() {}

    /// The leases and quarantine of a snapshot.
    public init(snapshot: StateSnapshot) {
        for lease in snapshot.leases { leased[lease.mac] = lease.key.guest }
        for entry in snapshot.quarantine { quarantined[entry.mac] = entry }
    }

    /// Adds MACs seen on host interfaces and VFs. Zero and placeholder MACs are ignored.
    public mutating func addSeen(_ mac: MACAddress, at place: String) {
        guard !mac.isUnsetOrPlaceholder else { return }
        if seen[mac] == nil { seen[mac] = place }
    }

    /// Adds everything seen in `other`.
    public mutating func addSeen(from other: MACUsage) {
        for (mac, place) in other.seen { addSeen(mac, at: place) }
    }
}
