import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVCore
import SRIOVStore
import SRIOVFrontEnd

/// `sriovctl state restore FILE`: puts a backup back as the state database.
struct StateRestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the state database's content with a backup made by 'state backup'.",
        discussion: """
        FILE must be a sriovctl state database this version knows that passes the integrity \
        check. The restore holds the operation lock (it waits for attach, detach, provision and \
        audit --fix) and replaces the content in one SQLite transaction. Run 'audit' afterwards: \
        VFs changed since the backup show as drift or stale.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The backup file to restore.")
    var file: String

    func run() throws {
        let services = HostServices(options: global)
        try exitingOnFailure { () throws(SRIOVError) in
            try services.requireSQLite()
            let source = try StateDatabaseLocation.resolve(file)
            let target = try StateDatabaseLocation.resolve(services.databasePath)
            if source.exists && target.exists && source.resolved == target.resolved {
                throw SRIOVError(.invalidValue, "\(file) is the state database itself; nothing was changed")
            }
            // The backup is checked before the lock file is made: a bad FILE creates nothing.
            _ = try SQLiteStateStore(path: file, access: .readOnly)
            try services.exclusively { () throws(SRIOVError) in
                try SQLiteStateStore.restore(databaseAt: services.databasePath, from: file, programVersion: SriovctlVersion.current)
            }
        }
        printError("restored \(services.databasePath) from \(file)")
    }
}
