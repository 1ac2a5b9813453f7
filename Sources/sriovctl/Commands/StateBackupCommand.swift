import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVCore
import SRIOVLinux
import SRIOVStore
import SRIOVFrontEnd

/// `sriovctl state backup FILE`: a consistent copy of the state database, taken while other
/// sriovctl processes run.
struct StateBackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the state database to FILE with SQLite's online backup API (0600, replaced atomically).",
        discussion: """
        The database is read read-only and must pass the integrity check. FILE is written as \
        'audit --output' writes: never a directory, device, FIFO, link or sriovctl's own files.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The backup file to write.")
    var file: String

    func run() throws {
        let services = HostServices(options: global)
        try exitingOnFailure { () throws(SRIOVError) in
            let writer = OutputFileWriter(what: "the backup", protecting: services.protectedFiles())
            try writer.check(file)
            let store = try services.sqliteStateReader()
            try writer.replace(file) { (temporaryPath, _) throws(SRIOVError) in
                try store.backup(into: temporaryPath)
            }
        }
        printError("backed up \(services.databasePath) to \(file)")
    }
}
