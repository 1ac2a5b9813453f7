/// A lease's VF on another host of the fleet (a fleet store only; always empty on SQLite).
///
/// A host's snapshot holds its own assignments in full and, from these, where else each
/// lease is attached: an attach of a lease attached elsewhere is refused naming that host
/// unless it is a move (`attach --move`), during which both hosts' VFs carry the MAC.
public struct RemoteAssignment: Hashable, Sendable, Codable {
    /// The lease.
    public var lease: LeaseKey
    /// The host holding it.
    public var host: FleetHost
    /// That host's VF.
    public var vf: VFKey
    /// Its state there.
    public var state: AssignmentState

    /// Creates a record.
    public init(lease: LeaseKey, host: FleetHost, vf: VFKey, state: AssignmentState) {
        self.lease = lease
        self.host = host
        self.vf = vf
        self.state = state
    }
}
