import Foundation
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

/// One sriovctl at a time changes VFs and their records: attach, detach, provision and
/// `audit --fix` hold an exclusive `flock(2)` on `<database>.lock` from reading the state
/// database to their last netlink request.
///
/// Without it, a `provision` that read the database before a `detach` finished could put
/// the departed guest's MAC back on the freed VF, or program a network's VF defaults over
/// the VLAN an attach had just set. Readers (`leases`, `audit`, `list`) do not take it.
///
/// The lock file is created 0600 next to the database (the real file, when `--db` is a link) (its directory 0700 when missing)
/// and never removed: removing it would let two processes lock two different files.
public enum StateOperationLock {
    /// How long a command waits for another one before giving up.
    public static let defaultTimeout: Double = 300  // seconds

    /// The lock file of the database at `databasePath`: beside the real file, symlinks
    /// resolved, so that every name of the database takes the same lock (hard links are
    /// refused by ``StateDatabaseLocation``). Throws what ``StateDatabaseLocation`` refuses.
    public static func path(forDatabase databasePath: String) throws(SRIOVError) -> String {
        try StateDatabaseLocation.resolve(databasePath).lockPath
    }

    /// Runs `body` holding the lock of the database at `databasePath`. When the database
    /// exists, open it as a ``SQLiteStateStore`` first, so that no lock file is made next to
    /// a file that is not ours; when it does not, the lock is taken all the same (an attach
    /// creating it meanwhile waits for the lock before writing anything). Waits up to `timeout` seconds; after one
    /// second of waiting, calls `waiting` with a sentence for the operator.
    public static func holding<T>(databasePath: String, timeout: Double = defaultTimeout,
                                  waiting: (String) -> Void = { _ in },
                                  _ body: () throws(SRIOVError) -> T) throws(SRIOVError) -> T {
        try holding(lockFile: try path(forDatabase: databasePath), timeout: timeout, waiting: waiting, body)
    }

    /// Runs `body` holding the lock file `lockPath` (created 0600, its directory 0700 when
    /// missing; never a symlink): the operation lock of a host whose state database is not a
    /// local file (a fleet's PostgreSQL database).
    public static func holding<T>(lockFile lockPath: String, timeout: Double = defaultTimeout,
                                  waiting: (String) -> Void = { _ in },
                                  _ body: () throws(SRIOVError) -> T) throws(SRIOVError) -> T {
        var fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd < 0 && Syscall.lastError == .noSuchFileOrDirectory {
            // No state directory yet (a provision before the first attach): made as the
            // database would make it.
            let directory = (lockPath as NSString).deletingLastPathComponent
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
            fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        }
        guard fd >= 0 else {
            let err = Syscall.lastError.rawValue
            throw SRIOVError(.database, "\(lockPath): cannot open the lock file: \(Errno.describe(err))",
                             errno: err)
        }
        // Closing the only descriptor of the open file description releases the flock.
        defer { close(fd) }
        try ExclusiveFlock.acquire(fd, describing: lockPath, timeout: timeout, noticeAfter: 1, waiting: {
            waiting("waiting for another sriovctl to finish (it holds \(lockPath))")
        }, busyMessage: {
            "another sriovctl has held \(lockPath) for \(Int(timeout)) s; nothing was changed, try again"
        })
        return try body()
    }
}
