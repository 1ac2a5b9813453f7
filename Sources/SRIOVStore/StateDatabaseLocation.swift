import Foundation
import Glibc
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

/// The state database file found by what it is, not by how `--db` spelled it.
///
/// ``resolve(_:)`` looks at the path with `lstat`/`stat` only (never `open`: a FIFO would
/// block a reader forever) and refuses, changing nothing:
/// - a FIFO, device, socket or directory at the path (or behind a link);
/// - a database file with more than one hard link: the operation lock is `<file>.lock`,
///   and a second name in another directory would take another lock;
/// - an existing file that the running user (root) does not own, or that group or others
///   can write, with the command that fixes it;
/// - a `-wal`, `-shm` or `.lock` companion that is not a regular file (a link planted
///   there would make SQLite or the lock write through it).
///
/// Symbolic links are resolved (`realpath`), so the lock file, the WAL and the open lock
/// are those of the real file: a link to the database takes the same lock as the database.
public struct StateDatabaseLocation: Sendable, Hashable {
    /// The path as given (`--db`).
    public let given: String
    /// The real path: symlinks resolved when the file or its directory exists.
    public let resolved: String
    /// Whether the file exists now.
    public let exists: Bool

    /// The operation lock file (``StateOperationLock``) of this database.
    public var lockPath: String { resolved + ".lock" }

    /// The files SQLite and sriovctl keep beside the database.
    public var companionPaths: [String] { [resolved + "-wal", resolved + "-shm", lockPath] }

    /// Looks at `path` and refuses what cannot be the state database. Creates nothing.
    public static func resolve(_ path: String) throws(SRIOVError) -> StateDatabaseLocation {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if name.isEmpty || name == "." || name == ".." {
            throw SRIOVError(.database, "\(path) names a directory, not the state database file; nothing was changed")
        }
        var st = stat()
        guard lstat(path, &st) == 0 else {
            let err = Syscall.lastError.rawValue
            guard err == ENOENT || err == ENOTDIR else { throw cannotLook(path, err) }
            // Missing: its directory's real path, when the directory exists.
            let directory = (path as NSString).deletingLastPathComponent
            let realDirectory = realPath(directory.isEmpty ? "." : directory)
            let resolved = realDirectory.map { ($0 == "/" ? "" : $0) + "/" + name } ?? path
            let location = StateDatabaseLocation(given: path, resolved: resolved, exists: false)
            try location.checkCompanions()
            return location
        }
        var resolved = path
        if FileKind(mode: UInt32(st.st_mode)) == .symbolicLink {
            guard let real = realPath(path), stat(real, &st) == 0 else {
                let err = Syscall.lastError.rawValue
                if err == ENOENT {
                    throw SRIOVError(.database, "\(path) is a symbolic link to a missing file; sriovctl does not create "
                                     + "the state database through a link. Nothing was changed")
                }
                throw SRIOVError(.database, "\(path) is a symbolic link that cannot be followed: "
                                 + "\(Errno.describe(err)); nothing was changed", errno: err)
            }
            resolved = real
        } else if let real = realPath(path) {
            resolved = real
        }
        let shown = resolved == path ? path : "\(path) (\(resolved))"
        let kind = FileKind(mode: UInt32(st.st_mode))
        guard kind == .regular else {
            throw SRIOVError(.database, "\(shown) is \(kind.phrase), not a state database file; nothing was changed. "
                             + "Use --db to point at the right file")
        }
        if st.st_nlink > 1 {
            throw SRIOVError(.database, "\(shown) has \(st.st_nlink) hard links; sriovctl locks the state database by "
                             + "its name, so another name would take another lock. Keep one name (remove the other "
                             + "links, or copy the file) and use symbolic links instead. Nothing was changed")
        }
        if st.st_uid != geteuid() || st.st_mode & 0o022 != 0 {
            let owner = st.st_uid != geteuid() ? "is owned by uid \(st.st_uid)" : ""
            var writers: [String] = []
            if st.st_mode & 0o020 != 0 { writers.append("its group") }
            if st.st_mode & 0o002 != 0 { writers.append("others") }
            let writable = writers.isEmpty ? "" : "is writable by \(writers.joined(separator: " and "))"
            let why = [owner, writable].filter { !$0.isEmpty }.joined(separator: " and ")
            throw SRIOVError(.database, "\(shown) \(why) (mode \(String(st.st_mode & 0o7777, radix: 8))); "
                             + "sriovctl only uses a state database that \(userName(geteuid())) owns and no one else "
                             + "can write. If the file is trusted, fix it with: "
                             + "chown \(userName(geteuid())):\(groupName(getegid())) \(resolved) && chmod 600 \(resolved). "
                             + "Nothing was changed")
        }
        let location = StateDatabaseLocation(given: path, resolved: resolved, exists: true)
        try location.checkCompanions()
        return location
    }

    /// Refuses a `-wal`, `-shm` or `.lock` that exists as anything but a regular file.
    func checkCompanions() throws(SRIOVError) {
        for companion in companionPaths {
            var st = stat()
            guard lstat(companion, &st) == 0 else { continue }
            let kind = FileKind(mode: UInt32(st.st_mode))
            if kind != .regular {
                throw SRIOVError(.database, "\(companion) is \(kind.phrase); the state database's companion files "
                                 + "must be regular files (remove it). Nothing was changed")
            }
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    private static func cannotLook(_ path: String, _ err: Int32) -> SRIOVError {
        SRIOVError(.database, "\(path): cannot look at the state database: \(Errno.describe(err))", errno: err)
    }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }

    private static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return String(gid) }
        return String(cString: name)
    }
}
