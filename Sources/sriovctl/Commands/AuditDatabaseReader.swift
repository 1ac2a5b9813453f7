import Foundation
import SRIOVCore

/// Reads the state database's leases, assignments and quarantine for `audit`.
///
/// A missing database means nothing was ever attached: empty, with a notice.
struct AuditDatabaseReader {
    let path: String

    func read(_ inventory: HostInventory) throws(SRIOVError) -> AuditSnapshotCollector.DatabaseRecords {
        guard FileManager.default.fileExists(atPath: path) else {
            return .init(notices: ["database: \(path) does not exist (nothing attached yet)"])
        }
        throw SRIOVError(.database, "\(path): reading the state database is not wired yet (waiting for the state store)")
    }
}
