import GRDB
public import SRIOVCore

/// SQLite's own check of the state database's structure, run on every open (it costs about
/// a millisecond on a 1,000-lease database: docs/state.md), and the words that tell an
/// operator how to recover when it fails.
///
/// A database that fails is never written to: the writer refuses to open it, so attach,
/// detach, provision and `audit --fix` stop until it is restored or salvaged.
enum StateDatabaseIntegrity {
    /// The pragma run: `integrity_check` also proves every index matches its table, which
    /// `quick_check` does not (a flipped byte inside an index cell passes `quick_check`).
    static let pragma = "integrity_check"

    /// The problems SQLite reports (empty when the file is sound), at most `limit`.
    static func problems(_ db: Database, limit: Int = 5) throws -> [String] {
        let lines = try String.fetchAll(db, sql: "PRAGMA \(pragma)(\(limit))")
        return lines == ["ok"] ? [] : lines
    }

    /// Throws, naming the problems and the way back, when `db` fails the check.
    static func require(_ db: Database, path: String) throws {
        let found = try problems(db)
        guard !found.isEmpty else { return }
        throw damaged(path: path, detail: "PRAGMA \(pragma): " + found.prefix(3).joined(separator: "; "))
    }

    /// The error for a damaged database at `path`.
    static func damaged(path: String, detail: String) -> SRIOVError {
        SRIOVError(.database, "\(path) is damaged (\(detail)). sriovctl does not write to it until it is repaired: "
                   + "restore a backup with 'sriovctl state restore BACKUP --db \(path)' (backups: 'sriovctl state "
                   + "backup FILE'), or salvage it with 'sqlite3 \(path) .recover | sqlite3 NEW.db', check NEW.db with "
                   + "'sriovctl state check --db NEW.db' and restore from it. See docs/state.md")
    }
}
