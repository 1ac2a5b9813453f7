import Foundation
import GRDB
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

/// The state database file before GRDB opens it for writing: creates it (directory 0700,
/// file 0600) and refuses a file that is not ours or is newer than this program, without
/// changing it.
enum StateDatabaseFile {
    /// The first 16 bytes of every SQLite 3 file.
    static let sqliteHeader = Array("SQLite format 3\u{0}".utf8)

    /// Makes sure the directory exists (created 0700) and the file exists (created 0600).
    /// Returns true when the file was created empty by this call.
    static func prepare(path: String) throws(SRIOVError) -> Bool {
        let directory = (path as NSString).deletingLastPathComponent
        let fm = FileManager.default
        if !directory.isEmpty {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: directory, isDirectory: &isDirectory) {
                if !isDirectory.boolValue {
                    throw SRIOVError(.database, "\(directory): not a directory (needed for the state database \(path))")
                }
            } else {
                do {
                    try fm.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                           attributes: [.posixPermissions: 0o700])
                } catch {
                    throw SRIOVError(.database, "\(directory): cannot create the state directory: \(describe(error))")
                }
            }
        }
        let fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        if fd >= 0 {
            fchmod(fd, 0o600)
            close(fd)
            return true
        }
        let err = Syscall.lastError.rawValue
        if err == EEXIST { return false }
        throw SRIOVError(.database, "\(path): cannot create the state database: \(Errno.describe(err))",
                         errno: err)
    }

    /// Refuses a file that is not a sriovctl state database or is newer than this program.
    /// Reads only; a file that passes is either empty, a fresh SQLite file without tables,
    /// or ours at a version we know. `path` is a regular file (``StateDatabaseLocation``);
    /// messages name it `shownAs`.
    static func check(path: String, shownAs shown: String) throws(SRIOVError) {
        guard try checkHeader(path: path, shownAs: shown) else { return }   // created empty
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            try queue.read { db in
                let found = try facts(db)
                try judge(found, path: shown)
                guard found.appID == StateSchema.applicationID else { return }
                // Before the writer opens it (a migration writes): a damaged
                // database is refused with nothing written.
                try StateDatabaseIntegrity.require(db, path: shown)
                if found.applied == Set(StateSchema.migrations.map(\.id)) { _ = try StateRows.snapshot(db) }
            }
            try queue.close()
        } catch let error as SRIOVError {
            throw error
        } catch let error as StoredRowError {
            throw StateDatabaseIntegrity.damaged(path: shown, detail: error.description)
        } catch {
            if let full = diskFull(path: path, shownAs: shown, error) { throw full }
            if let db = error as? DatabaseError, db.resultCode == .SQLITE_CORRUPT || db.resultCode == .SQLITE_NOTADB {
                throw StateDatabaseIntegrity.damaged(path: shown, detail: db.message ?? "\(db.resultCode)")
            }
            throw SRIOVError(.database, "\(shown): cannot read the state database: \(describe(error)); nothing was changed")
        }
    }

    /// Refuses a non-empty file without the SQLite header. Returns false for an empty file.
    @discardableResult
    static func checkHeader(path: String, shownAs shown: String) throws(SRIOVError) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let err = Syscall.lastError.rawValue
            throw SRIOVError(.database, "\(shown): cannot read the state database: \(Errno.describe(err))",
                             errno: err)
        }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        let count = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
        if count == 0 { return false }   // created empty, by us or by a concurrent sriovctl
        guard count == 16, header == sqliteHeader else {
            throw SRIOVError(.database, "\(shown) is not a sriovctl state database (not an SQLite file); "
                             + "nothing was changed. Use --db to point at the right file")
        }
        return true
    }

    /// What identifies a state database: application id, version, tables, migrations.
    struct Facts {
        var appID: Int32
        var userVersion: Int
        var tables: [String]
        var applied: Set<String>
    }

    static func facts(_ db: Database) throws -> Facts {
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let tables = try String.fetchAll(db, sql: """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
            """)
        let applied = tables.contains("sriovctl_migrations")
            ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM sriovctl_migrations")) : []
        return Facts(appID: appID, userVersion: userVersion, tables: tables, applied: applied)
    }

    /// Refuses a database that is another program's or a newer sriovctl's.
    static func judge(_ facts: Facts, path: String) throws(SRIOVError) {
        if facts.appID == StateSchema.applicationID {
            try refuseNewer(path: path, applied: facts.applied, userVersion: facts.userVersion)
            return
        }
        if facts.appID != 0 {
            throw SRIOVError(.database, "\(path) is not a sriovctl state database (application_id "
                             + "0x\(String(UInt32(bitPattern: facts.appID), radix: 16)), sriovctl uses "
                             + "0x\(String(StateSchema.applicationID, radix: 16))); nothing was changed")
        }
        if !facts.tables.isEmpty {
            let shown = facts.tables.prefix(5).joined(separator: ", ")
            throw SRIOVError(.database, "\(path) is not a sriovctl state database (it holds tables \(shown)"
                             + (facts.tables.count > 5 ? ", ..." : "") + " and no sriovctl application id); "
                             + "nothing was changed")
        }
    }

    /// A `file:` URI opening `path` with `immutable=1` (no locks, no -shm, no -wal).
    static func immutableURI(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:" + (path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path) + "?immutable=1"
    }

    /// Throws when `applied` holds migrations this program does not know, or `userVersion`
    /// is above the version it writes.
    static func refuseNewer(path: String, applied: Set<String>, userVersion: Int) throws(SRIOVError) {
        let unknown = applied.subtracting(StateSchema.migrations.map(\.id)).sorted()
        if !unknown.isEmpty || userVersion > StateSchema.version {
            let which = unknown.isEmpty ? "" : " (unknown migrations: \(unknown.joined(separator: ", ")))"
            throw SRIOVError(.database, "\(path) was written by a newer sriovctl: schema version \(userVersion)\(which), "
                             + "this sriovctl knows up to \(StateSchema.version); upgrade sriovctl. Nothing was changed")
        }
    }

    /// The error to show instead of SQLite's "disk I/O error" or "database or disk is full"
    /// when the filesystem holding `path` has no space left; nil when it has some.
    static func diskFull(path: String, shownAs shown: String, _ error: any Error) -> SRIOVError? {
        guard let db = error as? DatabaseError,
              db.resultCode == .SQLITE_FULL || db.resultCode == .SQLITE_IOERR || db.resultCode == .SQLITE_CANTOPEN
        else { return nil }
        var directory = (path as NSString).deletingLastPathComponent
        if directory.isEmpty { directory = "." }
        var fs = statvfs()
        guard statvfs(directory, &fs) == 0, fs.f_bavail == 0 || db.resultCode == .SQLITE_FULL else { return nil }
        return SRIOVError(.system, "\(shown): the filesystem holding \(directory) is full (\(UInt64(fs.f_bavail) * UInt64(fs.f_frsize)) "
                          + "bytes free); nothing was changed. Free some space and try again", errno: ENOSPC)
    }

    static func describe(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        if let e = error as? SRIOVError { return e.message }
        return "\(error)"
    }
}
