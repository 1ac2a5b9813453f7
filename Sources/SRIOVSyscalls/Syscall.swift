internal import Glibc
public import SystemPackage

/// The libc calls the adapters make, one small function each (as swift-system's
/// `Internals/Syscalls.swift` does): each reads `errno` right after its call and throws it as
/// swift-system's ``Errno``, and every call that can be interrupted by a signal is retried in
/// one place (``retryingOnInterrupt(_:)``), so no caller writes its own EINTR loop.
///
/// Descriptors are plain `Int32`s, owned and closed by the caller. Used by SRIOVLinux and
/// SRIOVStore (`package` access: nothing here is part of a public API).
package enum Syscall {
    /// Runs `call` (a libc call returning -1 and setting `errno` on failure) until it is not
    /// interrupted by a signal; its result, or the `errno` it set.
    package static func retryingOnInterrupt<T: FixedWidthInteger>(_ call: () -> T) throws(Errno) -> T {
        while true {
            let result = call()
            if result != -1 { return result }
            let code = Glibc.errno
            if code != EINTR { throw Errno(rawValue: code) }
        }
    }

    /// `open(2)`.
    package static func open(_ path: String, _ flags: Int32, _ mode: UInt32 = 0) throws(Errno) -> Int32 {
        try retryingOnInterrupt { Glibc.open(path, flags, mode) }
    }

    /// `openat(2)`.
    package static func openat(_ directory: Int32, _ name: String, _ flags: Int32, _ mode: UInt32 = 0) throws(Errno) -> Int32 {
        try retryingOnInterrupt { Glibc.openat(directory, name, flags, mode) }
    }

    /// One `write(2)` of `bytes`: the count written (sysfs answers one value per call).
    package static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(Errno) -> Int {
        try retryingOnInterrupt { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    /// One `write(2)` of `bytes`: the count written.
    package static func write(_ fd: Int32, _ bytes: [UInt8]) throws(Errno) -> Int {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(Errno) in try write(fd, raw) }
        }.get()
    }

    /// `write(2)` until all of `bytes` is written.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(Errno) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Result { () throws(Errno) in try write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...])) }
            }
            offset += try written.get()
        }
    }

    /// `fsync(2)`.
    package static func fsync(_ fd: Int32) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.fsync(fd) }
    }

    /// `rename(2)`.
    package static func rename(_ from: String, _ to: String) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.rename(from, to) }
    }

    /// `renameat(2)`.
    package static func renameat(_ fromDirectory: Int32, _ from: String, _ toDirectory: Int32, _ to: String) throws(Errno) {
        _ = try retryingOnInterrupt { Glibc.renameat(fromDirectory, from, toDirectory, to) }
    }

    /// `flock(2)`; with `LOCK_NB`, a lock held elsewhere throws `Errno.wouldBlock`.
    package static func lock(_ fd: Int32, _ operation: Int32) throws(Errno) {
        _ = try retryingOnInterrupt { flock(fd, operation) }
    }

    /// Sleeps for `duration` (`nanosleep(2)`), all of it: an interrupted sleep goes on for
    /// the time that remained.
    package static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while Glibc.nanosleep(&request, &remaining) != 0 && Glibc.errno == EINTR { request = remaining }
    }

    /// The current `errno` as an ``Errno``, for calls made outside this layer (read it
    /// right after the call that set it).
    package static var lastError: Errno { Errno(rawValue: Glibc.errno) }
}
