/// A host of a fleet that shares one state database: its PFs and VF assignments are its
/// own, while leases, the MAC quarantine and networks belong to the whole fleet.
///
/// The id is stable (`/etc/machine-id`; tests inject their own); the name is for display only.
public struct FleetHost: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Stable identity: the machine id (32 lower-case hex digits on systemd hosts).
    public var id: String
    /// The host name when the store last heard from it, for messages and listings.
    public var name: String

    /// Creates a host.
    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }

    /// `node1 (8d2c…)`: the name and the first 8 characters of the id.
    public var description: String { "\(name) (\(id.prefix(8)))" }
}
