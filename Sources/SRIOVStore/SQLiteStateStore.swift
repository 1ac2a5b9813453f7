import Foundation
import GRDB
import SRIOVCore

/// The state database: ``StateStoring`` over an SQLite file through GRDB.
///
/// Opened as a `DatabasePool` in WAL mode with `synchronous=FULL` (set after GRDB's own
/// setup, which picks NORMAL: a committed intent must survive a power cut before the VF
/// is touched) and a busy timeout, so concurrent sriovctl processes wait for each other
/// instead of failing. Processes opening at the same moment take turns through
/// ``StateDatabaseOpenLock`` (a flock on the directory). Writes are `BEGIN IMMEDIATE` transactions: the
/// snapshot an update sees cannot change before its edits are written.
///
/// Opening refuses, without changing anything, a file that is not a sriovctl state
/// database (another application id, or tables without ours) or that a newer sriovctl
/// wrote (unknown migrations or schema version). A missing file is created 0600, and a
/// missing directory 0700.
public final class SQLiteStateStore: StateStoring, Sendable {
    /// Where the state database lives unless `--db` says otherwise.
    public static let defaultPath = "/var/lib/sriovctl/state.db"

    /// How long a process waits for another's write transaction before failing.
    public static let busyTimeout: TimeInterval = 30

    /// The file.
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating and migrating when needed) the state database at `path`.
    /// `programVersion` is recorded in the file for diagnostics.
    public init(path: String, programVersion: String = "unknown") throws(SRIOVError) {
        self.path = path
        _ = try StateDatabaseFile.prepare(path: path)
        pool = try StateDatabaseOpenLock.holding(databasePath: path, timeout: Self.busyTimeout) { () throws(SRIOVError) in
            try StateDatabaseFile.check(path: path)
            var config = Configuration()
            config.busyMode = .timeout(Self.busyTimeout)
            config.foreignKeysEnabled = true
            config.label = "sriovctl-state"
            do {
                let pool = try DatabasePool(path: path, configuration: config)
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
                try pool.write { db in
                    try StateSchema.migrate(db, path: path, programVersion: programVersion)
                }
                return pool
            } catch let error as SRIOVError {
                throw error
            } catch {
                throw SRIOVError(.database, "\(path): cannot open the state database: \(StateDatabaseFile.describe(error))")
            }
        }
    }

    /// The schema version of the file (`PRAGMA user_version`).
    public func schemaVersion() throws(SRIOVError) -> Int {
        try mapErrors { try pool.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 } }
    }

    /// The writer connection's `PRAGMA synchronous` (2 = FULL), for tests and `doctor`.
    public func synchronousMode() throws(SRIOVError) -> Int {
        try mapErrors { try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 } }
    }

    /// The journal mode (`wal`).
    public func journalMode() throws(SRIOVError) -> String {
        try mapErrors { try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" } }
    }

    public func read() throws(SRIOVError) -> StateSnapshot {
        try mapErrors { try pool.read { try StateRows.snapshot($0) } }
    }

    public func update<Result>(_ body: (StateSnapshot) throws(SRIOVError) -> StateUpdate<Result>) throws(SRIOVError) -> Result {
        try mapErrors {
            try pool.write { db -> Result in
                let snapshot = try StateRows.snapshot(db)
                let update = try body(snapshot)
                guard !update.edits.isEmpty else { return update.result }
                let now = try String.fetchOne(db, sql: "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')") ?? ""
                // The reference semantics check every constraint and give the messages...
                var checked = snapshot
                _ = try checked.apply(update.edits, now: now)
                // ...then the same edits go to SQL (whose UNIQUE constraints back them up).
                for edit in update.edits { try StateRows.apply(edit, now: now, in: db) }
                return update.result
            }
        }
    }

    public func journal(limit: Int?) throws(SRIOVError) -> [JournalEntry] {
        try mapErrors { try pool.read { try StateRows.journal($0, limit: limit) } }
    }

    private func mapErrors<T>(_ work: () throws -> T) throws(SRIOVError) -> T {
        do {
            return try work()
        } catch let error as SRIOVError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw SRIOVError(.busy, "\(path): the state database stayed locked by another sriovctl for "
                             + "\(Int(Self.busyTimeout)) s; try again")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw SRIOVError(.busy, "\(path): a concurrent change conflicts with this one "
                             + "(\(error.message ?? "constraint failed")); try again")
        } catch {
            throw SRIOVError(.database, "\(path): \(StateDatabaseFile.describe(error))")
        }
    }
}
