/// What a lease is keyed by: a guest's slot on a network.
///
/// Slot 0 is a guest's first interface on the network; a guest with two VFs on one
/// network has slots 0 and 1 (`attach --slot 1`).
public struct LeaseKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Guest name.
    public var guest: String
    /// Network name.
    public var network: String
    /// Interface slot on that network, from 0.
    public var slot: Int

    /// Creates a key.
    public init(guest: String, network: String, slot: Int = 0) {
        self.guest = guest
        self.network = network
        self.slot = slot
    }

    /// `web1 on prod` or `web1 on prod slot 1`.
    public var description: String {
        slot == 0 ? "\(guest) on \(network)" : "\(guest) on \(network) slot \(slot)"
    }

    public static func < (lhs: LeaseKey, rhs: LeaseKey) -> Bool {
        (lhs.guest, lhs.network, lhs.slot) < (rhs.guest, rhs.network, rhs.slot)
    }
}

/// A guest's MAC on a network. Kept after detach so the guest gets the same MAC next
/// time; dropped only by `detach --forget`, which quarantines the MAC.
public struct LeaseRecord: Hashable, Sendable, Codable {
    /// Guest, network and slot.
    public var key: LeaseKey
    /// The leased MAC; unique among all leases.
    public var mac: MACAddress
    /// The VF the lease last used, preferred when the guest attaches again.
    public var lastVF: VFKey?
    /// When the lease was created (UTC, ISO 8601; set by the store).
    public var createdAt: String?
    /// When the lease was last attached (UTC, ISO 8601; set by the store).
    public var lastUsedAt: String?

    /// Creates a lease.
    public init(key: LeaseKey, mac: MACAddress, lastVF: VFKey? = nil, createdAt: String? = nil,
                lastUsedAt: String? = nil) {
        self.key = key
        self.mac = mac
        self.lastVF = lastVF
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }
}
