/// Picks a MAC for a new lease from the configured pool, and checks an explicit `--mac`.
///
/// Allocation returns the lowest MAC from the pool's start (``MACPool/start``, then wrapping
/// to its first MAC) that is unicast, not zero or libvirt's
/// placeholder, and not in ``MACUsage`` (leased, quarantined, or seen on the host).
/// Lowest-first keeps allocations predictable and easy to read in `leases`.
public enum MACAllocator {
    /// The lowest free MAC of `pool`. Throws ``SRIOVError/Code/invalidConfig`` for a pool
    /// that is not unicast or is reversed, ``SRIOVError/Code/exhausted`` when nothing is left.
    public static func allocate(from pool: MACPool, avoiding usage: MACUsage) throws(SRIOVError) -> MACAddress {
        try validate(pool)
        var taken = Set<UInt64>()
        for mac in usage.leased.keys { taken.insert(mac.integer) }
        for mac in usage.quarantined.keys { taken.insert(mac.integer) }
        for mac in usage.seen.keys { taken.insert(mac.integer) }

        // From the pool's start (this host's slice) to its end, then from its beginning.
        let start = pool.start.map { pool.contains($0) ? $0.integer : pool.first.integer } ?? pool.first.integer
        let ranges = start > pool.first.integer ? [(start, pool.last.integer), (pool.first.integer, start - 1)]
                                                : [(pool.first.integer, pool.last.integer)]
        for (from, to) in ranges {
            var candidate = from
            while candidate <= to {
                let mac = MACAddress(integer: candidate)
                if mac.isMulticast {
                    // Skip to the next even first octet: every MAC with an odd first octet is multicast.
                    candidate = ((candidate >> 40) + 1) << 40
                    continue
                }
                if !taken.contains(candidate) && !mac.isUnsetOrPlaceholder { return mac }
                candidate += 1
            }
        }
        throw SRIOVError(.exhausted, "MAC pool \(pool) is exhausted (\(usage.leased.count) leased, "
                         + "\(usage.quarantined.count) quarantined, \(usage.seen.count) seen on host interfaces or VFs); "
                         + "widen mac_pool in the config or drop leases with 'detach --forget'")
    }

    /// Checks a pool: unicast first MAC, `first <= last`.
    public static func validate(_ pool: MACPool) throws(SRIOVError) {
        if pool.first > pool.last {
            throw SRIOVError(.invalidConfig, "mac_pool \(pool): first is after last")
        }
        if pool.first.isMulticast && pool.first.octets[0] == pool.last.octets[0] {
            throw SRIOVError(.invalidConfig, "mac_pool \(pool) holds only multicast MACs (first octet is odd)")
        }
    }

    /// Checks an explicit `--mac` for guest `guest` (UUID `uuid` when known): unicast, not
    /// zero, not leased to another guest, not quarantined for another guest, not seen on the
    /// host. MACs outside the pool are allowed (they may come from an existing guest).
    public static func checkExplicit(_ mac: MACAddress, for guest: String, uuid: String?,
                                     usage: MACUsage) throws(SRIOVError) {
        if mac.isBroadcast {
            throw SRIOVError(.invalidValue, "MAC \(mac) is the broadcast address; a guest needs a unicast MAC")
        }
        if mac.isMulticast {
            throw SRIOVError(.invalidValue, "MAC \(mac) is multicast (first octet is odd); a guest needs a unicast MAC")
        }
        if mac.isUnsetOrPlaceholder {
            throw SRIOVError(.invalidValue, "MAC \(mac) means 'no MAC' to drivers and libvirt; choose another")
        }
        if let holder = usage.leased[mac], holder != guest {
            throw SRIOVError(.busy, "MAC \(mac) is leased to guest '\(holder)'")
        }
        if let q = usage.quarantined[mac], !isSameGuest(q, name: guest, uuid: uuid) {
            throw SRIOVError(.busy, "MAC \(mac) is quarantined: guest '\(q.formerGuest)' released it"
                             + (q.releasedAt.map { " at \($0)" } ?? "") + " with --forget")
        }
        if let place = usage.seen[mac] {
            throw SRIOVError(.busy, "MAC \(mac) is in use on \(place)")
        }
    }

    /// True when a quarantined MAC belonged to this guest (same UUID when both are known,
    /// else same name).
    static func isSameGuest(_ q: QuarantinedMAC, name: String, uuid: String?) -> Bool {
        if let mine = uuid, let theirs = q.formerGuestUUID { return mine.lowercased() == theirs.lowercased() }
        return q.formerGuest == name
    }
}
