import Foundation
import Glibc
import SRIOVCore

/// The API's unix socket on disk: checked before the server starts, made reachable only once
/// it has its mode and group, and removed when the server stops.
///
/// The server binds in a fresh 0700 directory next to the final path (`.agent-sock-PID-XXXXXX`;
/// those left by agents killed before they linked are removed first: ``AgentSocketLeftovers``),
/// the socket gets mode 0660 and its group there, and only then is it hard-linked to the final path, which fails
/// if anything appeared there meanwhile. So no one can connect to the socket before it has
/// its permissions. The final path must be missing or this agent's own stale socket (a socket
/// owned by this user that nobody answers on): anything else (a file, a link, a directory, a
/// socket someone answers on) is refused and left alone.
struct AgentSocketPath {
    /// Where clients connect.
    let path: String
    /// The group that may connect, `nil` to keep the process's group.
    let group: gid_t?
    /// The private directory the server binds in.
    let bindDirectory: String
    /// Bind directories of dead agents removed while preparing (``AgentSocketLeftovers``).
    var removedLeftovers: [String] = []

    /// Where the server binds (inside ``bindDirectory``).
    var bindPath: String { bindDirectory + "/agent.sock" }

    /// Checks `path`, removes this agent's stale socket there, and makes the bind directory.
    static func prepare(path: String, groupName: String?) throws(SRIOVError) -> AgentSocketPath {
        guard path.hasPrefix("/") else { throw SRIOVError(.invalidConfig, "agent socket \(quoted(path)): must be an absolute path") }
        let group = try groupName.map { (name) throws(SRIOVError) in try groupID(name) }
        try refuseUnlessFreeOrStale(path)
        let parent = (path as NSString).deletingLastPathComponent
        if mkdir(parent, 0o755) != 0 && errno != EEXIST {
            throw SRIOVError(.system, "agent socket \(path): cannot create \(parent): \(String(cString: strerror(errno)))", errno: errno)
        }
        // What an agent killed between bind and link left here (``AgentSocketLeftovers``).
        let removed = AgentSocketLeftovers.removeStale(in: parent)
        var template = Array(AgentSocketLeftovers.template(in: parent).utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw SRIOVError(.system, "agent socket \(path): cannot create a directory in \(parent): \(String(cString: strerror(errno)))", errno: errno)
        }
        let directory = String(cString: made)
        // The temporary name must fit sun_path (108 bytes with its NUL).
        guard (directory + "/agent.sock").utf8.count < 108 else {
            rmdir(directory)
            throw SRIOVError(.invalidConfig, "agent socket \(path): the path is too long for a unix socket")
        }
        return AgentSocketPath(path: path, group: group, bindDirectory: directory, removedLeftovers: removed)
    }

    /// Gives the bound socket mode 0660 and its group, then links it to ``path``.
    func publish() throws(SRIOVError) {
        defer { unlink(bindPath); rmdir(bindDirectory) }
        if let group, lchown(bindPath, uid_t.max, group) != 0 {
            throw SRIOVError(.system, "agent socket \(path): cannot set its group: \(String(cString: strerror(errno)))", errno: errno)
        }
        // fchmodat never follows a link; the directory is ours and 0700, so the name is our socket.
        if fchmodat(AT_FDCWD, bindPath, 0o660, 0) != 0 {
            throw SRIOVError(.system, "agent socket \(path): cannot set its mode: \(String(cString: strerror(errno)))", errno: errno)
        }
        if link(bindPath, path) != 0 {
            let code = errno
            throw SRIOVError(code == EEXIST ? .busy : .system,
                             "agent socket \(path): " + (code == EEXIST ? "something appeared there while the agent started; it was left alone"
                                                                         : "cannot create it: \(String(cString: strerror(code)))"), errno: code)
        }
    }

    /// Removes ``path`` if it is still the socket this server published, and the bind directory.
    func remove(published identity: (dev_t, ino_t)?) {
        if let identity, let info = Self.lstatInfo(path), (info.st_mode & S_IFMT) == S_IFSOCK,
           info.st_dev == identity.0, info.st_ino == identity.1 {
            unlink(path)
        }
        unlink(bindPath)
        rmdir(bindDirectory)
    }

    /// The device and inode of the socket at ``bindPath`` (before publishing) or ``path``.
    func identity() -> (dev_t, ino_t)? {
        guard let info = Self.lstatInfo(path) else { return nil }
        return (info.st_dev, info.st_ino)
    }

    // MARK: Checks

    static func refuseUnlessFreeOrStale(_ path: String) throws(SRIOVError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw SRIOVError(.system, "agent socket \(path): \(String(cString: strerror(errno)))", errno: errno)
        }
        let what: String
        switch info.st_mode & S_IFMT {
        case S_IFSOCK:
            guard info.st_uid == geteuid() else {
                throw SRIOVError(.busy, "agent socket \(path): a socket owned by uid \(info.st_uid) is there; "
                                 + "it was left alone (is another agent running?)")
            }
            switch AgentClient.probe(path) {
            case .refused:
                // Our own stale socket: nobody listens. Remove it, and only it.
                guard unlink(path) == 0 || errno == ENOENT else {
                    throw SRIOVError(.system, "agent socket \(path): cannot remove the stale socket: \(String(cString: strerror(errno)))", errno: errno)
                }
                return
            case .answered:
                throw SRIOVError(.busy, "agent socket \(path): another process answers on it (is the agent already running?); it was left alone")
            case .failed(let message):
                throw SRIOVError(.system, "agent socket \(path): \(message); it was left alone")
            }
        case S_IFLNK: what = "a symbolic link"
        case S_IFDIR: what = "a directory"
        case S_IFREG: what = "a regular file"
        case S_IFIFO: what = "a FIFO"
        default: what = "a device"
        }
        throw SRIOVError(.busy, "agent socket \(path): \(what) is there, not a stale agent socket; it was left alone")
    }

    static func lstatInfo(_ path: String) -> stat? {
        var info = stat()
        return lstat(path, &info) == 0 ? info : nil
    }

    static func groupID(_ name: String) throws(SRIOVError) -> gid_t {
        var group = Glibc.group()
        var result: UnsafeMutablePointer<Glibc.group>?
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let status = getgrnam_r(name, &group, &buffer, buffer.count, &result)
        guard status == 0, let found = result else {
            if let number = gid_t(name) { return number }
            throw SRIOVError(.invalidConfig, "agent.api.group \(quoted(name)): no such group")
        }
        return found.pointee.gr_gid
    }
}
