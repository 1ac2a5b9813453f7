import Foundation
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

/// An exclusive `flock(2)` on the state database's directory, held while one process
/// checks, opens, switches to WAL and migrates the database, so that processes started at
/// the same moment (every guest of a host booting at once) take turns at it.
///
/// Without it, two processes converting a brand-new file to WAL at once can fail with
/// "database is locked" at once: SQLite does not call the busy handler when a connection
/// that already reads must upgrade to a write lock. After opening, SQLite's own locks and
/// busy timeout are enough (every write is `BEGIN IMMEDIATE`), so the lock is released.
///
/// The directory is locked rather than a lock file so that refusing a file that is not
/// ours creates nothing next to it, and rather than the database itself because closing
/// any descriptor of the database would drop SQLite's POSIX locks on it.
enum StateDatabaseOpenLock {
    /// Runs `body` holding the lock on the directory of `databasePath`, after waiting up to
    /// `timeout` seconds for it. Throws `.busy` when another process kept it that long,
    /// `.database` when the directory cannot be opened.
    static func holding<T>(databasePath: String, timeout: TimeInterval,
                           _ body: () throws(SRIOVError) -> T) throws(SRIOVError) -> T {
        var directory = (databasePath as NSString).deletingLastPathComponent
        if directory.isEmpty { directory = "." }
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = Syscall.lastError.rawValue
            throw SRIOVError(.database, "\(directory): cannot open the state database's directory: "
                             + Errno.describe(err), errno: err)
        }
        // Closing the only descriptor of the open file description releases the flock.
        defer { close(fd) }
        try ExclusiveFlock.acquire(fd, describing: directory, timeout: timeout) {
            "\(databasePath): another sriovctl has been opening the state database for \(Int(timeout)) s "
                + "(it holds a flock on \(directory)); try again"
        }
        return try body()
    }
}
