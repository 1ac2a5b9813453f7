/// Everything in the state database except the journal, read in one consistent transaction.
///
/// This is what ``StateStoring/read()`` returns and what the body of
/// ``StateStoring/update(_:)`` sees. The data is small (one row per guest interface),
/// so readers take all of it and filter in memory.
public struct StateSnapshot: Hashable, Sendable, Codable {
    /// Networks as last recorded from the config file (kept after they leave the config).
    public var networks: [NetworkDefinition]
    /// PFs that ever carried an assignment.
    public var pfs: [PFRecord]
    /// Guests that ever held a lease.
    public var guests: [GuestRecord]
    /// Every lease, attached or not.
    public var leases: [LeaseRecord]
    /// Every assignment (lease → VF), in any state.
    public var assignments: [AssignmentRecord]
    /// MACs of dropped leases.
    public var quarantine: [QuarantinedMAC]
    /// Other hosts' assignments of leases (a fleet store; empty on SQLite).
    public var elsewhere: [RemoteAssignment] = []
    /// The host this snapshot is the view of (a fleet store; `nil` on SQLite).
    public var host: FleetHost?

    /// Creates a snapshot.
    public init(networks: [NetworkDefinition] = [], pfs: [PFRecord] = [], guests: [GuestRecord] = [],
                leases: [LeaseRecord] = [], assignments: [AssignmentRecord] = [], quarantine: [QuarantinedMAC] = []) {
        self.networks = networks
        self.pfs = pfs
        self.guests = guests
        self.leases = leases
        self.assignments = assignments
        self.quarantine = quarantine
    }

    /// The guest named `name`.
    public func guest(named name: String) -> GuestRecord? { guests.first { $0.name == name } }

    /// The guest with UUID `uuid` (case-insensitive).
    public func guest(uuid: String) -> GuestRecord? {
        let wanted = uuid.lowercased()
        return guests.first { $0.uuid?.lowercased() == wanted }
    }

    /// The lease with key `key`.
    public func lease(_ key: LeaseKey) -> LeaseRecord? { leases.first { $0.key == key } }

    /// The lease holding `mac`.
    public func lease(mac: MACAddress) -> LeaseRecord? { leases.first { $0.mac == mac } }

    /// Every lease of guest `name`, sorted.
    public func leases(ofGuest name: String) -> [LeaseRecord] {
        leases.filter { $0.key.guest == name }.sorted { $0.key < $1.key }
    }

    /// The assignment of lease `key`.
    public func assignment(for key: LeaseKey) -> AssignmentRecord? { assignments.first { $0.lease == key } }

    /// The assignment holding VF `vf` (matched with ``PFStableID/matches(_:)``).
    public func assignment(of vf: VFKey) -> AssignmentRecord? {
        assignments.first { $0.vf.index == vf.index && $0.vf.pf.matches(vf.pf) }
    }

    /// The quarantine entry of `mac`.
    public func quarantined(_ mac: MACAddress) -> QuarantinedMAC? { quarantine.first { $0.mac == mac } }

    /// The PF record matching `id`.
    public func pf(_ id: PFStableID) -> PFRecord? { pfs.first { $0.id.matches(id) } }

    /// Where else (other hosts of a fleet) the lease `key` is attached.
    public func assignmentsElsewhere(for key: LeaseKey) -> [RemoteAssignment] { elsewhere.filter { $0.lease == key } }

    /// The network recorded as `name`.
    public func network(named name: String) -> NetworkDefinition? { networks.first { $0.name == name } }
}
