import ArgumentParser
import SRIOVCore
import SRIOVStore
import SRIOVFrontEnd

/// `sriovctl state move-in FILE`: copies a host's SQLite state into the fleet database.
struct StateMoveInCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move-in",
        abstract: "Copy this host's SQLite state database into the fleet database (config state: postgresql://…).",
        discussion: """
            Leases, guests, networks, the MAC quarantine, and this host's PFs and assigned VFs are copied in one \
            transaction. Conflicts (a MAC the fleet leases to another guest, a lease the fleet knows with another MAC, \
            an interrupted attach) are listed, each with the command that resolves it, and nothing is copied. \
            Exit 0 moved (or nothing to move), 1 refused or failed.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The SQLite state database to move in (e.g. /var/lib/sriovctl/state.db).")
    var file: String

    @Flag(name: .customLong("dry-run"), help: "Only check and say what would be moved.")
    var dryRun = false

    func run() throws {
        // --db names the fleet-or-not choice for every other command; here the file is the argument.
        var options = global
        options.dbOption = nil
        let services = HostServices(options: options)
        let line = try exitingOnFailure { () throws(SRIOVError) -> String in
            guard services.fleet != nil else {
                throw SRIOVError(.invalidValue, "move-in copies into a fleet state database: set state: url: postgresql://… in "
                                 + "\(global.configFile) first")
            }
            let local = try SQLiteStateStore(path: file, programVersion: SriovctlVersion.current, access: .readOnly).read()
            let fleet = try services.stateStore()
            let dryRun = self.dryRun
            return try services.exclusively { () throws(SRIOVError) -> String in
                try fleet.update { (snapshot) throws(SRIOVError) -> StateUpdate<String> in
                    switch StateMoveIn.plan(local: local, into: snapshot, file: file) {
                    case .refuse(let conflicts):
                        throw SRIOVError(.busy, "\(file) cannot be moved in; nothing was copied. "
                                         + "\(conflicts.count) conflict\(conflicts.count == 1 ? "" : "s"):\n"
                                         + conflicts.map { "  - \($0)" }.joined(separator: "\n"))
                    case .move(let edits, let summary):
                        let text = "\(summary.leases) leases, \(summary.assignments) assigned VFs and \(summary.quarantined) "
                            + "quarantined MACs" + (summary.alreadyThere > 0 ? " (\(summary.alreadyThere) leases already there)" : "")
                        return dryRun ? StateUpdate(edits: [], result: "would move " + text)
                                      : StateUpdate(edits: edits, result: "moved " + text + " from \(file)")
                    }
                }
            }
        }
        print(line)
    }
}
