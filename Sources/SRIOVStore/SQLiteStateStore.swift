import Foundation
import Glibc
import GRDB
public import SRIOVCore

/// The state database: ``StateStoring`` over an SQLite file through GRDB.
///
/// Opened for writing (``Access/readWrite``) as one connection (a `DatabaseQueue`) in WAL
/// mode with `synchronous=FULL` (a committed intent must survive a power cut before the VF
/// is touched) and a busy timeout, so concurrent
/// sriovctl processes wait for each other instead of failing. Processes opening at the same
/// moment take turns through ``StateDatabaseOpenLock`` (a flock on the directory). Writes are
/// `BEGIN IMMEDIATE` transactions: the snapshot an update sees cannot change before its
/// edits are written. WAL is switched on once, when the file is migrated; an up-to-date file
/// is opened without a single write (GRDB's `DatabasePool` writes a table and drops it on
/// every open to make a WAL file), so a command refused after opening changes no byte.
///
/// Opened for reading (``Access/readOnly``: `leases`, `audit` without `--fix`) it is one
/// `SQLITE_OPEN_READONLY` connection with `PRAGMA query_only`: no migration, no checkpoint,
/// no open lock, so the file's bytes never change and a reader never waits behind a writer.
/// On a directory it cannot write (a read-only filesystem) and with no `-wal` file, it is
/// opened `immutable=1`, since SQLite cannot make the `-shm` it otherwise needs there.
///
/// Opening refuses, without changing anything, what ``StateDatabaseLocation`` refuses (a
/// FIFO, device or directory, a hard-linked file, a file someone else owns or can write), a
/// file that is not a sriovctl state database (another application id, or tables without
/// ours), one that a newer sriovctl wrote (unknown migrations or schema version), and one
/// that fails SQLite's integrity check. A missing file is created 0600 (writers only), and
/// a missing directory 0700.
public final class SQLiteStateStore: StateStoring, Sendable {
    /// How long a process waits for another's write transaction before failing.
    public static let busyTimeout: Double = 30  // seconds

    /// How the database is opened.
    public enum Access: Sendable {
        /// Created and migrated when needed; writes allowed.
        case readWrite
        /// Read-only and query-only; the file must exist.
        case readOnly
    }

    /// The file, as given.
    public let path: String
    /// The file found behind `path` (symlinks resolved).
    public let location: StateDatabaseLocation
    /// How it was opened.
    public let access: Access
    private let writer: DatabaseQueue?
    private let reader: any DatabaseReader
    /// A read-only open of a file with no sriovctl tables yet (created empty, never migrated).
    private let isBlank: Bool

    /// Opens the state database at `path`: for ``Access/readWrite``, creating and migrating
    /// it when needed; for ``Access/readOnly``, only reading an existing file.
    /// `programVersion` is recorded in the file for diagnostics.
    public init(path: String, programVersion: String = "unknown", access: Access = .readWrite) throws(SRIOVError) {
        self.path = path
        self.access = access
        let location = try StateDatabaseLocation.resolve(path)
        self.location = location
        let real = location.resolved
        switch access {
        case .readOnly:
            guard location.exists else {
                throw SRIOVError(.notFound, "\(path): no state database (nothing attached yet)")
            }
            (reader, isBlank) = try Self.openReadOnly(path: path, real: real)
            writer = nil
        case .readWrite:
            isBlank = false
            _ = try StateDatabaseFile.prepare(path: real)
            let pool = try StateDatabaseOpenLock.holding(databasePath: real, timeout: Self.busyTimeout) { () throws(SRIOVError) in
                try StateDatabaseFile.check(path: real, shownAs: path)
                var config = Configuration()
                config.busyMode = .timeout(Self.busyTimeout)
                config.foreignKeysEnabled = true
                config.label = "sriovctl-state"
                do {
                    let queue = try DatabaseQueue(path: real, configuration: config)
                    try queue.writeWithoutTransaction { db in
                        // WAL is a property of the file: set once, for a new file (a write).
                        if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                            guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                                throw SRIOVError(.database, "\(path): cannot switch the state database to WAL mode")
                            }
                        }
                        try db.execute(sql: "PRAGMA synchronous = FULL")
                    }
                    try queue.write { db in
                        try StateSchema.migrate(db, path: path, programVersion: programVersion)
                    }
                    return queue
                } catch let error as SRIOVError {
                    throw error
                } catch {
                    if let full = StateDatabaseFile.diskFull(path: real, shownAs: path, error) { throw full }
                    throw Self.openError(path: path, error)
                }
            }
            writer = pool
            reader = pool
        }
    }

    /// The read-only connection, and whether the file has no sriovctl tables yet.
    private static func openReadOnly(path: String, real: String) throws(SRIOVError) -> (any DatabaseReader, Bool) {
        try StateDatabaseFile.checkHeader(path: real, shownAs: path)
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(5)
        config.label = "sriovctl-state-reader"
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA query_only = 1") }
        var directory = (real as NSString).deletingLastPathComponent
        if directory.isEmpty { directory = "." }
        // No committed frames wait in a WAL (missing or empty: no sriovctl writer has the file
        // open; the last writer to close checkpoints and removes it): the file alone is the database.
        let walSize = (try? FileManager.default.attributesOfItem(atPath: real + "-wal")[.size] as? NSNumber)?.intValue ?? 0
        // Where SQLite cannot make the -wal and -shm a WAL reader needs (a read-only or full
        // filesystem), read the file as immutable: no locks, no -shm, nothing written.
        var fs = statvfs()
        let cannotCreate = Glibc.access(directory, W_OK) != 0 || (statvfs(directory, &fs) == 0 && fs.f_bavail == 0)
        do {
            return try openQueue(path: path, real: real, immutable: walSize == 0 && cannotCreate, config: config)
        } catch let error as DatabaseError where walSize == 0 && !cannotCreate
            && [.SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_FULL, .SQLITE_READONLY].contains(error.resultCode) {
            // The -shm could not be made after all (the disk filled meanwhile): read immutable.
            do {
                return try openQueue(path: path, real: real, immutable: true, config: config)
            } catch {
                throw openError(path: path, error)
            }
        } catch let error as SRIOVError {
            throw error
        } catch {
            throw openError(path: path, error)
        }
    }

    private static func openQueue(path: String, real: String, immutable: Bool,
                                  config: Configuration) throws -> (any DatabaseReader, Bool) {
        let queue = try DatabaseQueue(path: immutable ? StateDatabaseFile.immutableURI(real) : real, configuration: config)
        let blank = try queue.read { db throws -> Bool in
            let facts = try StateDatabaseFile.facts(db)
            try StateDatabaseFile.judge(facts, path: path)
            try StateDatabaseIntegrity.require(db, path: path)
            return facts.appID == 0 && facts.tables.isEmpty
        }
        return (queue, blank)
    }

    private static func openError(path: String, _ error: any Error) -> SRIOVError {
        if let row = error as? StoredRowError { return StateDatabaseIntegrity.damaged(path: path, detail: row.description) }
        if let db = error as? DatabaseError, db.resultCode == .SQLITE_CORRUPT || db.resultCode == .SQLITE_NOTADB {
            return StateDatabaseIntegrity.damaged(path: path, detail: db.message ?? "\(db.resultCode)")
        }
        return SRIOVError(.database, "\(path): cannot open the state database: \(StateDatabaseFile.describe(error))")
    }

    /// The schema version of the file (`PRAGMA user_version`).
    public func schemaVersion() throws(SRIOVError) -> Int {
        try mapErrors { try reader.read { try Int.fetchOne($0, sql: "PRAGMA user_version") ?? 0 } }
    }

    /// The writer connection's `PRAGMA synchronous` (2 = FULL), for tests and `doctor`.
    public func synchronousMode() throws(SRIOVError) -> Int {
        try mapErrors { try requireWriter().writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 } }
    }

    /// The journal mode (`wal`).
    public func journalMode() throws(SRIOVError) -> String {
        try mapErrors { try reader.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") ?? "" } }
    }

    public func read() throws(SRIOVError) -> StateSnapshot {
        if isBlank { return StateSnapshot() }
        return try mapErrors { try reader.read { try StateRows.snapshot($0) } }
    }

    public func update<Result>(_ body: (StateSnapshot) throws(SRIOVError) -> StateUpdate<Result>) throws(SRIOVError) -> Result {
        try mapErrors {
            try requireWriter().write { db -> Result in
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
        if isBlank { return [] }
        return try mapErrors { try reader.read { try StateRows.journal($0, limit: limit) } }
    }

    /// The problems SQLite's integrity check finds (empty when sound), for `state check`.
    public func integrityProblems() throws(SRIOVError) -> [String] {
        try mapErrors { try reader.read { try StateDatabaseIntegrity.problems($0, limit: 20) } }
    }

    /// Copies the database, consistently, into the SQLite file at `destination` (an empty
    /// file the caller created; see `state backup`) with SQLite's online backup API.
    public func backup(into destination: String) throws(SRIOVError) {
        try mapErrors {
            let target = try DatabaseQueue(path: destination)
            try reader.backup(to: target)
            try target.writeWithoutTransaction { db in
                // A backup is a self-contained file: no -wal beside it.
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try target.close()
        }
    }

    /// Replaces the whole content of the state database at `path` with the database at
    /// `source`, in one SQLite transaction through the online backup API (so a sriovctl that
    /// has the file open sees the restored content, not a file renamed away under it), after
    /// checking that `source` is a sriovctl state database of a version this program knows
    /// that passes the integrity check. A missing database is created first. The caller
    /// holds the operation lock (``StateOperationLock``). A database too damaged for SQLite
    /// to write into is refused, with the command that moves it aside.
    public static func restore(databaseAt path: String, from source: String, programVersion: String = "unknown") throws(SRIOVError) {
        let backup = try SQLiteStateStore(path: source, access: .readOnly)
        guard !backup.isBlank else {
            throw SRIOVError(.database, "\(source) is an empty database, not a sriovctl backup; nothing was changed")
        }
        let location = try StateDatabaseLocation.resolve(path)
        if !location.exists {
            _ = try SQLiteStateStore(path: path, programVersion: programVersion)
        }
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        do {
            let target = try DatabaseQueue(path: location.resolved, configuration: config)
            try backup.reader.backup(to: target)
            try target.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try StateDatabaseIntegrity.require(db, path: path)
            }
            try target.close()
        } catch let error as SRIOVError {
            throw error
        } catch {
            throw SRIOVError(.database, "\(path): cannot restore \(source) into it: \(StateDatabaseFile.describe(error)). "
                             + "If the file is too damaged to write, move it aside (mv \(location.resolved) "
                             + "\(location.resolved).damaged; also its -wal and -shm) and run the restore again")
        }
    }

    private func requireWriter() throws(SRIOVError) -> DatabaseQueue {
        guard let writer else {
            throw SRIOVError(.database, "\(path): opened read-only; this command does not write the state database")
        }
        return writer
    }

    private func mapErrors<T>(_ work: () throws -> T) throws(SRIOVError) -> T {
        do {
            return try work()
        } catch let error as SRIOVError {
            throw error
        } catch let error as StoredRowError {
            throw StateDatabaseIntegrity.damaged(path: path, detail: error.description)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw SRIOVError(.busy, "\(path): the state database stayed locked by another sriovctl for "
                             + "\(Int(Self.busyTimeout)) s; try again")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            throw StateDatabaseIntegrity.damaged(path: path, detail: error.message ?? "\(error.resultCode)")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_READONLY {
            throw SRIOVError(.database, "\(path): the state database cannot be written here (read-only file or "
                             + "filesystem: \(error.message ?? "readonly")); nothing was changed")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw SRIOVError(.busy, "\(path): a concurrent change conflicts with this one "
                             + "(\(error.message ?? "constraint failed")); try again")
        } catch {
            if let full = StateDatabaseFile.diskFull(path: location.resolved, shownAs: path, error) { throw full }
            throw SRIOVError(.database, "\(path): \(StateDatabaseFile.describe(error))")
        }
    }
}
