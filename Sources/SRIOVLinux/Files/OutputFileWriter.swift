import FoundationEssentials
import Glibc
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

/// Writes every file sriovctl produces as output (`audit --output`, `state backup`): a new
/// file, or an existing regular file replaced atomically; never anything else.
///
/// The bytes go to a temporary file created in the target's directory with
/// `O_CREAT|O_EXCL|O_NOFOLLOW|O_CLOEXEC` and mode 0600 (so it is 0600 from its first byte),
/// are `fsync`ed, and the temporary file is renamed over the target. Before anything is
/// created the target is looked at with `lstat` (through a descriptor of its directory), and
/// refused, with a message saying what it is and that nothing was changed, when it is
/// - a name that means a directory (`.`, `..`, a trailing `/`) or a directory,
/// - a symbolic link (as root, sriovctl does not write through links), a FIFO, a device or
///   a socket (`/dev/null` is never replaced by a file),
/// - one of sriovctl's own inputs or state files (the state database and its `-wal`, `-shm`
///   and `.lock`, the config file, `--merge` inputs), compared by device and inode, so a
///   hard link or another spelling of the same file is refused too.
///
/// It does not create missing directories, and it does not keep the target's owner or mode:
/// a replaced file is the new 0600 file.
public struct OutputFileWriter: Sendable {
    /// A file the output must never replace, and how to name it in a refusal.
    public struct Protected: Sendable {
        public var path: String
        public var role: String
        /// `role` reads in "PATH is <role>", e.g. "the state database".
        public init(path: String, role: String) {
            self.path = path
            self.role = role
        }
    }

    /// Files never replaced.
    public var protected: [Protected]
    /// What is written, for messages ("the report", "the backup").
    public var what: String

    /// A writer that refuses the `protected` files; `what` names the output in messages.
    public init(what: String, protecting protected: [Protected]) {
        self.what = what
        self.protected = protected
    }

    /// Writes `bytes` to `path` (new, or replacing a regular file).
    public func write(_ bytes: [UInt8], to path: String) throws(SRIOVError) {
        try replace(path) { (_, fd) throws(SRIOVError) in
            do throws(Errno) {
                try Syscall.writeAll(fd, bytes)
            } catch {
                throw SRIOVError(.system, "\(path): cannot write \(what): \(error); nothing was changed",
                                 errno: error.rawValue)
            }
        }
    }

    /// Checks `path`, creates the temporary file beside it and calls `fill` with its path and
    /// an open descriptor, then syncs it and renames it over `path`. On any error the
    /// temporary file is removed and `path` is left as it was.
    public func replace(_ path: String, fill: (_ temporaryPath: String, _ fd: Int32) throws(SRIOVError) -> Void) throws(SRIOVError) {
        let (directory, name) = try split(path)
        let dirfd = try openDirectory(directory, of: path)
        defer { close(dirfd) }
        try refuseExisting(path, name: name, dirfd: dirfd)

        let temporaryName = ".\(name).sriovctl-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let temporaryPath = (directory == "/" ? "" : directory) + "/" + temporaryName
        let fd: Int32
        do throws(Errno) {
            fd = try Syscall.openat(dirfd, temporaryName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        } catch {
            throw SRIOVError(.system, "\(path): cannot create \(what) in \(directory): \(error); nothing was changed",
                             errno: error.rawValue)
        }
        var renamed = false
        defer { if !renamed { unlinkat(dirfd, temporaryName, 0) } }
        do {
            defer { close(fd) }
            try fill(temporaryPath, fd)
            do throws(Errno) {
                try Syscall.fsync(fd)
            } catch {
                throw SRIOVError(.system, "\(path): cannot write \(what): \(error); nothing was changed",
                                 errno: error.rawValue)
            }
        }
        // Checked again: something may have appeared at the name while we wrote.
        try refuseExisting(path, name: name, dirfd: dirfd)
        do throws(Errno) {
            try Syscall.renameat(dirfd, temporaryName, dirfd, name)
        } catch {
            throw SRIOVError(.system, "\(path): cannot replace it with \(what): \(error); nothing was changed",
                             errno: error.rawValue)
        }
        renamed = true
        _ = fsync(dirfd)
    }

    /// Runs the checks ``replace(_:fill:)`` makes before it creates anything, and nothing else.
    public func check(_ path: String) throws(SRIOVError) {
        let (directory, name) = try split(path)
        let dirfd = try openDirectory(directory, of: path)
        defer { close(dirfd) }
        try refuseExisting(path, name: name, dirfd: dirfd)
    }

    /// An `O_DIRECTORY` descriptor of `directory`, the folder `path` is written in.
    private func openDirectory(_ directory: String, of path: String) throws(SRIOVError) -> Int32 {
        do throws(Errno) {
            return try Syscall.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        } catch {
            throw SRIOVError(.system, "\(path): cannot write \(what): directory \(directory): \(error); "
                             + "nothing was changed", errno: error.rawValue)
        }
    }

    /// The directory and last component of `path`; refuses names that mean a directory.
    private func split(_ path: String) throws(SRIOVError) -> (directory: String, name: String) {
        guard !path.isEmpty else {
            throw SRIOVError(.invalidValue, "cannot write \(what) to an empty path")
        }
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if name.isEmpty || name == "." || name == ".." {
            throw SRIOVError(.invalidValue, "\(path) names a directory; \(what) is written to a file "
                             + "(e.g. \(path.hasSuffix("/") ? path : path + "/")report.txt). Nothing was changed")
        }
        var directory = String(path.dropLast(name.count))
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        if directory.isEmpty { directory = "." }
        return (directory, name)
    }

    /// Throws when the name exists as anything but a regular file, or is a protected file.
    private func refuseExisting(_ path: String, name: String, dirfd: Int32) throws(SRIOVError) {
        var st = stat()
        guard fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            let error = Syscall.lastError
            if error == .noSuchFileOrDirectory { return }
            throw SRIOVError(.system, "\(path): cannot look at it: \(error); nothing was changed", errno: error.rawValue)
        }
        let kind = FileKind(mode: UInt32(st.st_mode))
        guard kind == .regular else {
            var detail = ""
            if kind == .symbolicLink, let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                detail = " to \(target); sriovctl does not write through links"
            }
            throw SRIOVError(.invalidValue, "\(path) is \(kind.phrase)\(detail); \(what) is written only to a new "
                             + "or regular file. Nothing was changed")
        }
        for file in protected {
            var other = stat()
            guard stat(file.path, &other) == 0 else { continue }
            if other.st_dev == st.st_dev && other.st_ino == st.st_ino {
                let same = file.path == path ? "" : " (\(file.path))"
                throw SRIOVError(.invalidValue, "\(path) is \(file.role)\(same); \(what) must go to another file. "
                                 + "Nothing was changed")
            }
        }
    }
}
