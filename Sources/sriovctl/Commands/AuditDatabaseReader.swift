import FoundationEssentials
import Glibc
import SRIOVCore
import SRIOVStore

/// Reads the state database's leases, assignments and quarantine for `audit`, naming each
/// assignment's PF as this host does (the database keys PFs by PCI address or sysfs device).
///
/// A missing database means nothing was ever attached: empty, with a notice, and no file is
/// created.
struct AuditDatabaseReader {
    let path: String
    /// Opens the database (only called when the file exists, so none is created).
    let store: () throws(SRIOVError) -> any StateStoring

    func read(_ inventory: HostInventory) throws(SRIOVError) -> AuditSnapshotCollector.DatabaseRecords {
        guard try StateDatabaseLocation.resolve(path).exists else {
            return .init(notices: ["database: \(path) does not exist (nothing attached yet)"])
        }
        let snapshot = try store().read()
        var records = AuditSnapshotCollector.DatabaseRecords()
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
