import Foundation
public import Logging
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
public import SRIOVCore

/// The fleet state database: ``StateStoring`` over PostgreSQL through PostgresNIO, for many
/// hosts sharing one MAC space (docs/state.md, "A fleet on PostgreSQL").
///
/// One store is one host's view (``FleetHost``): leases, guests, networks and the MAC
/// quarantine are the fleet's; PFs and assignments are this host's. ``update(_:)`` runs the
/// body inside one `SERIALIZABLE` transaction, so a MAC or VF chosen from the snapshot cannot
/// be chosen by another host's concurrent transaction too; when PostgreSQL reports a
/// serialization failure (40001) or a deadlock (40P01) the transaction is rolled back and
/// run again from a fresh snapshot (the body is pure), up to ``maxAttempts`` times. The
/// database's `UNIQUE` constraints back the rules up. A fleet needs no local flock for that.
///
/// Calls block the calling thread until the server answered (see ``PostgresSession``):
/// never call from a NIO event loop. One connection per store, used by one call at a time;
/// a connection the server closed is replaced on the next call.
///
/// Credentials: the password is read from `password_file` and kept only in the
/// connection's configuration; messages name the database as ``PostgresTarget/description``
/// (no password), and PostgresNIO's errors are described by their SQLSTATE and server message.
public final class PostgresStateStore: StateStoring, @unchecked Sendable {
    /// How the database is opened.
    public enum Access: Sendable {
        /// Migrated when needed; writes allowed.
        case readWrite
        /// Nothing written, not even a migration.
        case readOnly
    }

    /// The advisory lock key that orders writers ("SRIW").
    static let writerLockKey = 0x5352_4957

    /// How long a writer waits for another's transaction (`lock_timeout`), in seconds.
    public static let lockTimeout = 30

    /// Transactions tried before a conflict is reported as busy.
    public static let maxAttempts = 60

    /// The server and database.
    public let target: PostgresTarget
    /// The host this store reads and writes for.
    public let host: FleetHost
    /// How it was opened.
    public let access: Access

    /// This host's local cache, written after every change (``FleetAssignmentCache``).
    public let cache: FleetAssignmentCache?

    private let lock = NIOLock()
    private let logger: Logger
    private let session: PostgresSession
    private var blank = false
    private var conflicts = 0

    /// Connects to `target` as `host` and, for ``Access/readWrite``, applies missing
    /// migrations (one transaction). Refuses a database a newer sriovctl wrote, or one
    /// holding another application's tables, without changing it.
    ///
    /// After a failed connection, a new store in the same process waits for
    /// `backoff` (``PostgresReconnectBackoff``): until then it fails at once as unreachable.
    public init(target: PostgresTarget, host: FleetHost, programVersion: String = "unknown",
                access: Access = .readWrite, cache: FleetAssignmentCache? = nil,
                logger: Logger = Logger(label: "sriovctl-state"),
                backoff: PostgresReconnectBackoff = .shared) throws(SRIOVError) {
        if let wait = backoff.remainingWait(for: target) {
            let seconds = max(1, Int((wait + .milliseconds(999)).components.seconds))
            throw SRIOVError(.database, "\(target): \(Self.unreachablePhrase) (the last attempt failed; the next one in "
                             + "\(seconds) s); nothing was changed")
        }
        self.target = target
        self.host = host
        self.access = access
        self.cache = cache
        self.logger = logger
        let password = try Self.password(target)
        session = PostgresSession(target: target, password: password, logger: logger)
        do throws(SRIOVError) {
            try connectAndMigrate(access: access, programVersion: programVersion)
            backoff.succeeded(target)
        } catch {
            if Self.isUnreachable(error) { backoff.failed(target) }
            throw error
        }
    }

    private func connectAndMigrate(access: Access, programVersion: String) throws(SRIOVError) {
        try run { () throws in
            switch access {
            case .readOnly:
                let applied = try PostgresSchema.applied(session, shownAs: target.description)
                if let applied { try PostgresSchema.refuseNewer(applied, shownAs: target.description) }
                blank = applied == nil
            case .readWrite:
                try session.query("BEGIN")
                do {
                    try PostgresSchema.migrate(session, shownAs: target.description, programVersion: programVersion)
                    try session.query("COMMIT")
                } catch {
                    _ = try? session.query("ROLLBACK")
                    throw error
                }
            }
        }
    }

    /// Serialization failures and deadlocks retried so far by this store (benchmarks).
    public var retriedConflicts: Int { lock.withLock { conflicts } }

    /// The migration identifiers applied in the database.
    public func appliedMigrations() throws(SRIOVError) -> Set<String> {
        try run { () throws in try PostgresSchema.applied(session, shownAs: target.description) ?? [] }
    }

    /// Every host that ever wrote to the database.
    public func hosts() throws(SRIOVError) -> [FleetHost] {
        if blank { return [] }
        return try run { () throws in
            try session.query("SELECT id, name FROM host ORDER BY name, id").map {
                FleetHost(id: try $0.value("id", table: "host"), name: try $0.value("name", table: "host"))
            }
        }
    }

    /// Every host's assignments with their leases' MACs, from one read transaction (`audit --fleet`).
    public func fleetAssignments() throws(SRIOVError) -> [AuditFleetRecords.Assignment] {
        if blank { return [] }
        return try run { () throws in
            try session.query("""
                SELECT g.name AS guest, n.name AS network, l.slot, l.mac, a.host_id, h.name AS host_name,
                       p.device, p.permanent_mac, a.vf_index, a.state
                FROM assignment a JOIN lease l ON l.id = a.lease_id JOIN guest g ON g.id = l.guest_id
                JOIN network n ON n.id = l.network_id JOIN host h ON h.id = a.host_id JOIN pf p ON p.id = a.pf_id
                ORDER BY g.name, n.name, l.slot, a.host_id
                """).map { row in
                let t = "assignment"
                let macText: String = try row.value("mac", table: t)
                guard let mac = MACAddress(macText) else {
                    throw PostgresStoredValueError(table: "lease", column: "mac", expected: "MAC address")
                }
                let perm: String = try row.value("permanent_mac", table: t)
                return AuditFleetRecords.Assignment(
                    lease: LeaseKey(guest: try row.value("guest", table: t), network: try row.value("network", table: t),
                                    slot: try row.value("slot", table: t)),
                    mac: mac, host: FleetHost(id: try row.value("host_id", table: t), name: try row.value("host_name", table: t)),
                    vf: VFKey(pf: PFStableID(device: try row.value("device", table: t), permanentMAC: MACAddress(perm)),
                              index: try row.value("vf_index", table: t)),
                    state: AssignmentState(rawValue: try row.value("state", table: t)) ?? .intent)
            }
        }
    }

    public func read() throws(SRIOVError) -> StateSnapshot {
        if blank { return StateSnapshot() }
        return try run { () throws in
            try session.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            do {
                let snapshot = try PostgresStateRows.snapshot(session, host: host)
                let now = access == .readWrite && cache != nil ? try Self.now(session) : ""
                try session.query("COMMIT")
                if !now.isEmpty { writeCache(snapshot, now: now) }
                return snapshot
            } catch {
                _ = try? session.query("ROLLBACK")
                throw error
            }
        }
    }

    public func update<Result>(_ body: (StateSnapshot) throws(SRIOVError) -> StateUpdate<Result>) throws(SRIOVError) -> Result {
        guard access == .readWrite else {
            throw SRIOVError(.database, "\(target): opened read-only; this command does not write the state database")
        }
        return try run { () throws -> Result in
            // One writer at a time, fleet-wide (as SQLite's BEGIN IMMEDIATE is per file): a
            // session advisory lock taken before BEGIN, so the transaction's snapshot is taken
            // after the wait. Without it, three hosts attaching at once retried 286
            // serialization failures in 1,000 attaches and two of them gave up after 60 tries
            // (docs/benchmarks.md). A lost connection releases it.
            try session.query("SELECT pg_advisory_lock($1)", [.integer(Self.writerLockKey)])
            defer { _ = try? session.query("SELECT pg_advisory_unlock($1)", [.integer(Self.writerLockKey)]) }
            var attempt = 0
            while true {
                attempt += 1
                do {
                    return try transaction(body)
                } catch let error as PSQLError where Self.isConflict(error) && attempt < Self.maxAttempts {
                    conflicts += 1
                    // A little jitter so that the same transactions do not collide again in step.
                    usleep(UInt32.random(in: 0...UInt32(min(attempt, 10) * 2_000)))
                }
            }
        }
    }

    public func journal(limit: Int?) throws(SRIOVError) -> [JournalEntry] {
        if blank { return [] }
        return try run { () throws in try PostgresStateRows.journal(session, host: host, limit: limit) }
    }

    /// One try of an update: BEGIN, snapshot, body, checks, edits, COMMIT; rolled back on any error.
    private func transaction<Result>(_ body: (StateSnapshot) throws(SRIOVError) -> StateUpdate<Result>) throws -> Result {
        try session.query("BEGIN ISOLATION LEVEL SERIALIZABLE")
        do {
            let snapshot = try PostgresStateRows.snapshot(session, host: host)
            let update = try body(snapshot)
            guard !update.edits.isEmpty else {
                try session.query("COMMIT")
                return update.result
            }
            let now = try Self.now(session)
            var checked = snapshot
            _ = try checked.apply(update.edits, now: now)
            try PostgresStateRows.recordHost(session, host, now: now)
            for edit in update.edits { try PostgresStateRows.apply(edit, now: now, host: host, in: session) }
            do {
                try session.query("COMMIT")
            } catch let error as PSQLError where error.code != .server {
                session.close()
                throw SRIOVError(.database, "\(target): the connection was lost while committing; the change may or may "
                                 + "not be recorded (crash repair settles it at the next attach, detach or provision)")
            }
            writeCache(checked, now: now)
            return update.result
        } catch {
            _ = try? session.query("ROLLBACK")
            throw error
        }
    }

    private static func now(_ session: PostgresSession) throws -> String {
        try session.query("SELECT \(PostgresStateRows.nowSQL) AS now").first?.value("now", as: String.self, table: "now") ?? ""
    }

    /// Writes this host's cache; a failure is a warning (the change itself is committed).
    private func writeCache(_ snapshot: StateSnapshot, now: String) {
        guard let cache else { return }
        do {
            try cache.write(snapshot, host: host, at: now)
        } catch {
            logger.warning("cannot update this host's cache of the fleet state: \(error.message)")
        }
    }

    /// True when `error` says the server could not be reached (as opposed to refusing a request).
    public static func isUnreachable(_ error: SRIOVError) -> Bool {
        error.code == .database && error.message.contains(unreachablePhrase)
    }

    static let unreachablePhrase = "cannot reach the state database"

    /// Runs `work` under the store's lock, mapping every error to an ``SRIOVError`` that names
    /// the database without credentials.
    private func run<T>(_ work: () throws -> T) throws(SRIOVError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try work()
        } catch let error as SRIOVError {
            throw error
        } catch let error as PSQLError {
            if error.code != .server { session.close() }
            throw Self.describe(error, target: target)
        } catch let error as PostgresStoredValueError {
            throw SRIOVError(.database, "\(target) is damaged: \(error)")
        } catch {
            session.close()
            throw SRIOVError(.database, "\(target): \(Self.redacted(error))")
        }
    }

    static func isConflict(_ error: PSQLError) -> Bool {
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// A PostgresNIO error in words: the server's SQLSTATE and message, or what failed on the
    /// connection. PostgresNIO's own description is deliberately generic; its debug
    /// description holds the query, so neither is shown.
    static func describe(_ error: PSQLError, target: PostgresTarget) -> SRIOVError {
        if error.code == .server, let info = error.serverInfo {
            let state = info[.sqlState] ?? "?"
            let message = info[.message] ?? "error"
            switch state {
            case "40001", "40P01":
                return SRIOVError(.busy, "\(target): the transaction kept conflicting with other hosts' "
                                  + "(\(maxAttempts) tries); nothing was changed, try again")
            case "55P03":
                return SRIOVError(.busy, "\(target): another host's write held the fleet database for \(lockTimeout) s; "
                                  + "nothing was changed, try again")
            case "23505", "23503":
                return SRIOVError(.busy, "\(target): \(message) (SQLSTATE \(state)); nothing was changed")
            case _ where state.hasPrefix("57P") || state.hasPrefix("08"):
                // The server is shutting down or refused the connection: as unreachable as a missing one.
                return SRIOVError(.database, "\(target): \(unreachablePhrase) (\(message), SQLSTATE \(state)); nothing was changed")
            case "28P01", "28000":
                return SRIOVError(.database, "\(target): \(message) (check password_file and the server's pg_hba.conf)")
            default:
                return SRIOVError(.database, "\(target): \(message) (SQLSTATE \(state))")
            }
        }
        var cause = ""
        if let underlying = error.underlying { cause = ": " + redacted(underlying) }
        return SRIOVError(.database, "\(target): \(unreachablePhrase) (\(error.code)\(cause)); "
                          + "nothing was changed")
    }

    /// An error's description, cut to its first line.
    private static func redacted(_ error: any Error) -> String {
        String(String(describing: error).prefix { $0 != "\n" }.prefix(200))
    }

    /// The password from `password_file` (its first line), or `nil` when none is configured.
    /// The file must be a regular file that neither the group nor others can read.
    static func password(_ target: PostgresTarget) throws(SRIOVError) -> String? {
        guard let path = target.passwordFile else { return nil }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            throw SRIOVError(.invalidConfig, "\(path): cannot read the state database's password file: "
                             + String(cString: strerror(errno)), errno: errno)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SRIOVError(.invalidConfig, "\(path): the password file is not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SRIOVError(.invalidConfig, "\(path): the password file can be read by its group or others (mode "
                             + String(info.st_mode & 0o777, radix: 8) + "); fix it with: chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SRIOVError(.invalidConfig, "\(path): cannot read the state database's password file")
        }
        let text = String(decoding: data, as: UTF8.self)
        return String(text.prefix { $0 != "\n" && $0 != "\r" })
    }
}
