/// The state database's records as the audit needs them, each assignment's PF named as this
/// host names it (the database keys PFs by PCI address or sysfs device).
struct AuditDatabaseRecords {
    var leases: [LeaseRecord] = []
    var assignments: [AuditAssignment] = []
    var quarantine: [QuarantinedMAC] = []
    /// Recorded UUIDs by guest name.
    var guestUUIDs: [String: String] = [:]
    var notices: [String] = []

    /// Reads `database`, naming PFs as `inventory` does. A missing database is empty, with a notice.
    static func read(_ database: AuditDatabase, naming inventory: HostInventory) throws(SRIOVError) -> AuditDatabaseRecords {
        let store: any StateStoring
        switch database {
        case .absent(let path): return .init(notices: ["database: \(path) does not exist (nothing attached yet)"])
        case .store(let open): store = open
        }
        let snapshot = try store.read()
        var records = AuditDatabaseRecords()
        records.leases = snapshot.leases
        for assignment in snapshot.assignments {
            let host = inventory.pfs.first { $0.sysfsDevice == assignment.vf.pf.device }
            let record = snapshot.pf(assignment.vf.pf)
            records.assignments.append(AuditAssignment(
                lease: assignment.lease,
                pf: host?.name ?? record?.netdev ?? assignment.vf.pf.device,
                pfPCIAddress: host?.pciAddress ?? record?.pciAddress,
                vfIndex: assignment.vf.index, vfPCIAddress: assignment.vfPCIAddress,
                settings: assignment.desired, inProgress: assignment.state != .applied))
        }
        records.quarantine = snapshot.quarantine
        for guest in snapshot.guests { if let uuid = guest.uuid { records.guestUUIDs[guest.name] = uuid } }
        let inProgress = snapshot.assignments.filter { $0.state != .applied }
        if !inProgress.isEmpty {
            records.notices.append("database: \(inProgress.count) attach/detach in progress "
                                   + "(\(inProgress.map { "\($0.lease.guest) \($0.state)" }.joined(separator: ", "))); "
                                   + "their VFs are not checked for drift")
        }
        return records
    }
}
