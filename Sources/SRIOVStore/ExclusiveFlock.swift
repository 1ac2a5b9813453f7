import Foundation
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

/// Waits for an exclusive `flock(2)` on an already opened descriptor, polling so that the
/// wait has a bound (a blocking `flock` has none) and can say once that it is waiting.
enum ExclusiveFlock {
    /// Locks `fd`, waiting up to `timeout` seconds. After `noticeAfter` seconds of waiting,
    /// `waiting` is called once (to tell the operator why nothing happens). Throws
    /// `.busy` with `busyMessage` on timeout, `.database` when `flock` itself fails.
    static func acquire(_ fd: Int32, describing path: String, timeout: TimeInterval, noticeAfter: TimeInterval = .infinity,
                        waiting: () -> Void = {}, busyMessage: () -> String) throws(SRIOVError) {
        let start = Date()
        var noticed = false
        while true {
            do throws(Errno) {
                try Syscall.lock(fd, LOCK_EX | LOCK_NB)
                return
            } catch where error == .wouldBlock {
                // Held elsewhere: wait below and try again.
            } catch {
                throw SRIOVError(.database, "\(path): cannot lock: \(error)", errno: error.rawValue)
            }
            let waited = Date().timeIntervalSince(start)
            guard waited < timeout else { throw SRIOVError(.busy, busyMessage()) }
            if !noticed && waited >= noticeAfter {
                noticed = true
                waiting()
            }
            usleep(2_000)
        }
    }
}
