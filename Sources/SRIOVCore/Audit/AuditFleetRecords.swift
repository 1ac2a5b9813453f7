/// `audit --fleet`: the fleet database's records of every host, checked together.
///
/// The database's constraints already keep one MAC per lease and one assignment per VF, so
/// what is left to see across hosts is a lease attached on two hosts at once: a guest
/// moving (`attach --move`), reported as ``AuditRule/moveInProgress`` (info) rather than as
/// a duplicate MAC; and, should two leases ever share a MAC (a database changed by hand),
/// ``AuditRule/duplicateMACAcrossHosts``.
public enum AuditFleetRecords {
    /// One assignment of the fleet: whose, where, with which MAC.
    public struct Assignment: Hashable, Sendable {
        /// The lease.
        public var lease: LeaseKey
        /// Its MAC.
        public var mac: MACAddress
        /// The host holding the VF.
        public var host: FleetHost
        /// The VF on that host.
        public var vf: VFKey
        /// Its state.
        public var state: AssignmentState

        /// Creates a row.
        public init(lease: LeaseKey, mac: MACAddress, host: FleetHost, vf: VFKey, state: AssignmentState) {
            self.lease = lease
            self.mac = mac
            self.host = host
            self.vf = vf
            self.state = state
        }
    }

    /// The findings over `assignments` (every host's).
    public static func findings(_ assignments: [Assignment]) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for (key, rows) in Dictionary(grouping: assignments, by: \.lease).sorted(by: { $0.key < $1.key }) where rows.count > 1 {
            let sorted = rows.sorted { $0.host.id < $1.host.id }
            let places = sorted.map { "\($0.host) (\($0.vf), \($0.state))" }.joined(separator: " and ")
            findings.append(AuditFinding(
                rule: .moveInProgress, severity: .info, hosts: sorted.map(\.host.description),
                message: "\(key) is moving: attached on \(places), both with MAC \(sorted[0].mac); detach it on the host "
                    + "it left to finish the move",
                objects: sorted.map { AuditObject(kind: .vf, id: $0.vf.description, label: "\($0.vf)", host: $0.host.description) }
                    + [AuditObject(kind: .lease, id: key.description, label: key.description, host: sorted[0].host.description)],
                fix: [AuditFixCommand(["sriovctl", "detach", key.guest, "--network", key.network]
                                      + (key.slot == 0 ? [] : ["--slot", String(key.slot)]))]))
        }
        for (mac, rows) in Dictionary(grouping: assignments, by: \.mac).sorted(by: { $0.key < $1.key })
        where Set(rows.map(\.lease)).count > 1 {
            let sorted = rows.sorted { ($0.host.id, $0.lease) < ($1.host.id, $1.lease) }
            findings.append(AuditFinding(
                rule: .duplicateMACAcrossHosts, severity: .critical, hosts: Array(Set(sorted.map(\.host.description))).sorted(),
                message: "MAC \(mac) is held by " + sorted.map { "\($0.lease) on \($0.host) (\($0.vf))" }.joined(separator: " and "),
                objects: sorted.map { AuditObject(kind: .lease, id: $0.lease.description, label: $0.lease.description,
                                                  host: $0.host.description) }))
        }
        return AuditReport.ordered(findings)
    }
}
