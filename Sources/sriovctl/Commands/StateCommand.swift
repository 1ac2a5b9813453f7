import ArgumentParser

/// `sriovctl state`: check, back up and restore the state database (docs/state.md).
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Check, back up or restore the state database.",
        discussion: """
        check runs SQLite's integrity check and reads every row; backup copies the database with \
        SQLite's online backup API while sriovctl runs; restore puts a backup back, as the only \
        sriovctl changing VFs. See docs/state.md for recovering a damaged database.
        """,
        subcommands: [StateCheckCommand.self, StateBackupCommand.self, StateRestoreCommand.self, StateMoveInCommand.self]
    )
}
