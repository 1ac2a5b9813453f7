import Foundation
import GRDB
import SRIOVCore

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
        let err = errno
        if err == EEXIST { return false }
        throw SRIOVError(.database, "\(path): cannot create the state database: \(String(cString: strerror(err)))",
                         errno: err)
    }

    /// Refuses a file that is not a sriovctl state database or is newer than this program.
    /// Reads only; a file that passes is either empty, a fresh SQLite file without tables,
    /// or ours at a version we know.
    static func check(path: String) throws(SRIOVError) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SRIOVError(.database, "\(path): cannot read the state database (permissions?)")
        }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        try? handle.close()
        if header.isEmpty { return }   // created empty, by us or by a concurrent sriovctl
        guard header.count >= 16, Array(header.prefix(16)) == sqliteHeader else {
            throw SRIOVError(.database, "\(path) is not a sriovctl state database (not an SQLite file); "
                             + "nothing was changed. Use --db to point at the right file")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let facts: (appID: Int32, userVersion: Int, tables: [String], applied: Set<String>)
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            facts = try queue.read { db in
                let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                    """)
                let applied = tables.contains("sriovctl_migrations")
                    ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM sriovctl_migrations")) : []
                return (appID, userVersion, tables, applied)
            }
            try queue.close()
        } catch {
            throw SRIOVError(.database, "\(path): cannot read the state database: \(describe(error)); nothing was changed")
        }
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

    static func describe(_ error: any Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        if let e = error as? SRIOVError { return e.message }
        return "\(error)"
    }
}
