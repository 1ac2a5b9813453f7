import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVCore
import SRIOVStore

/// `sriovctl state check`: is the state database sound? Read-only.
struct StateCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the state database: SQLite's integrity check, then every row decoded. Read-only.",
        discussion: "Exit 0 sound, 1 damaged or unreadable (the message says how to recover)."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let services = HostServices(options: global)
        let line = try exitingOnFailure { () throws(SRIOVError) -> String in
            let store = try services.sqliteStateReader()
            let problems = try store.integrityProblems()
            if !problems.isEmpty {
                throw SRIOVError(.database, "\(services.databasePath) is damaged: " + problems.joined(separator: "; ")
                                 + ". Restore a backup with 'sriovctl state restore BACKUP', or salvage it with "
                                 + "sqlite3's .recover (docs/state.md)")
            }
            let snapshot = try store.read()
            return "\(services.databasePath): ok (schema version \(try store.schemaVersion()), \(snapshot.leases.count) leases, "
                + "\(snapshot.assignments.count) VFs held, \(snapshot.quarantine.count) quarantined MACs)"
        }
        print(line)
    }
}
