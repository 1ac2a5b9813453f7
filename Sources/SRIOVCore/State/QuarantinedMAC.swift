/// A MAC whose lease was dropped (`detach --forget`). It is never allocated again, and an
/// explicit `--mac` for it is refused unless it is the same guest taking it back.
public struct QuarantinedMAC: Hashable, Sendable, Codable {
    /// The MAC.
    public var mac: MACAddress
    /// The guest that held it.
    public var formerGuest: String
    /// That guest's UUID, when known.
    public var formerGuestUUID: String?
    /// The network it was leased on.
    public var network: String
    /// When the lease was dropped (UTC, ISO 8601; set by the store).
    public var releasedAt: String?

    /// Creates a quarantine entry.
    public init(mac: MACAddress, formerGuest: String, formerGuestUUID: String? = nil, network: String,
                releasedAt: String? = nil) {
        self.mac = mac
        self.formerGuest = formerGuest
        self.formerGuestUUID = formerGuestUUID
        self.network = network
        self.releasedAt = releasedAt
    }
}
