import Foundation
import Glibc
public import SRIOVCore

/// This host's part of the fleet state, kept in a local file so that the host can still
/// boot its guests with their MACs while PostgreSQL is unreachable (`provision` reads it;
/// docs/state.md, "When PostgreSQL is unreachable").
///
/// Written by ``PostgresStateStore`` after every committed change (and every read-write
/// open's read): the host's PFs and assignments, the leases, guests and networks they
/// name. The file is `<local_dir>/fleet-cache.json`, 0600, replaced atomically (a 0600
/// temporary file beside it, synced, renamed); the directory is made 0700 when missing;
/// a symlink, or anything but a regular file owned by the running user, at the path is
/// refused rather than written through or read.
public struct FleetAssignmentCache: Sendable {
    /// What the file holds.
    public struct Content: Codable, Sendable {
        /// The host the cache belongs to.
        public var host: FleetHost
        /// When it was written (UTC, ISO 8601, the database's clock).
        public var writtenAt: String
        /// The host's records.
        public var snapshot: StateSnapshot
    }

    /// The cache file.
    public let path: String

    /// The cache in `directory` (the config's `state: local_dir`).
    public init(directory: String) {
        path = directory + "/fleet-cache.json"
    }

    /// The host's part of `snapshot`.
    static func part(of snapshot: StateSnapshot) -> StateSnapshot {
        let keys = Set(snapshot.assignments.map(\.lease))
        let guests = Set(keys.map(\.guest))
        return StateSnapshot(networks: snapshot.networks, pfs: snapshot.pfs,
                             guests: snapshot.guests.filter { guests.contains($0.name) },
                             leases: snapshot.leases.filter { keys.contains($0.key) },
                             assignments: snapshot.assignments, quarantine: [])
    }

    /// Replaces the file with `snapshot`'s part for `host`.
    func write(_ snapshot: StateSnapshot, host: FleetHost, at time: String) throws(SRIOVError) {
        let directory = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: directory) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        try checkExisting()
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            data = try encoder.encode(Content(host: host, writtenAt: time, snapshot: Self.part(of: snapshot)))
        } catch {
            throw SRIOVError(.system, "\(path): cannot encode the cache: \(error)")
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SRIOVError(.system, "\(temporary): cannot create the cache: \(String(cString: strerror(errno)))", errno: errno)
        }
        let written = data.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == data.count, synced == 0, rename(temporary, path) == 0 else {
            let err = errno
            unlink(temporary)
            throw SRIOVError(.system, "\(path): cannot write the cache: \(String(cString: strerror(err)))", errno: err)
        }
    }

    /// The cached records; throws when there is no cache or it cannot be trusted.
    public func read() throws(SRIOVError) -> Content {
        try checkExisting()
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SRIOVError(.notFound, "\(path): no cache of this host's assignments (written after the first change "
                             + "while the fleet database was reachable)")
        }
        do {
            return try JSONDecoder().decode(Content.self, from: data)
        } catch {
            throw SRIOVError(.database, "\(path): the cache of this host's assignments is unreadable: \(error)")
        }
    }

    /// Refuses anything at the path but a regular file owned by us and private to us.
    private func checkExisting() throws(SRIOVError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SRIOVError(.database, "\(path) is not a regular file (a link or a device); the cache is neither read nor written")
        }
        guard info.st_uid == geteuid(), info.st_mode & 0o077 == 0 else {
            throw SRIOVError(.database, "\(path) is owned by uid \(info.st_uid) or readable by others (mode "
                             + String(info.st_mode & 0o777, radix: 8) + "); fix it with: chown root:root \(path) && chmod 600 \(path)")
        }
    }
}

/// The fleet state as this host last wrote it (``FleetAssignmentCache``), for `provision`
/// while PostgreSQL is unreachable: reads only; an update with edits is refused.
public struct CachedStateStore: StateStoring {
    /// What the cache held.
    public let content: FleetAssignmentCache.Content

    /// A store over `content`.
    public init(_ content: FleetAssignmentCache.Content) { self.content = content }

    public func read() throws(SRIOVError) -> StateSnapshot { content.snapshot }

    public func update<Result>(_ body: (StateSnapshot) throws(SRIOVError) -> StateUpdate<Result>) throws(SRIOVError) -> Result {
        let update = try body(content.snapshot)
        guard update.edits.isEmpty else {
            throw SRIOVError(.database, "the fleet state database is unreachable and this host works from its cache, which "
                             + "records nothing; nothing was changed")
        }
        return update.result
    }

    public func journal(limit: Int?) throws(SRIOVError) -> [JournalEntry] { [] }
}
