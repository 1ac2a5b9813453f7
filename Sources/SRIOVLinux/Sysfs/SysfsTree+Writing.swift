import Foundation
import SRIOVCore

extension SysfsTree {
    /// Writes `value` to an existing attribute, as `echo -n value > file` does: open for
    /// writing (never creating), one `write`, close. sysfs reports a refusal from the
    /// `write` call; the thrown error carries that errno and names the path.
    public func write(_ relative: String, _ value: String) throws(SRIOVError) {
        let file = path(relative)
        if let writeHandler {
            let code = writeHandler.write(value, to: relative)
            if code != 0 { throw SysfsWriteError.make(file: file, value: value, errno: code) }
            return
        }
        let fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            throw SysfsWriteError.make(file: file, value: value, errno: code)
        }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        var result: Int
        repeat {
            result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        } while result < 0 && errno == EINTR
        if result < 0 {
            let code = errno
            throw SysfsWriteError.make(file: file, value: value, errno: code)
        }
    }
}

/// Errors from sysfs writes, with the errno's symbolic name (what people search for).
enum SysfsWriteError {
    static func make(file: String, value: String, errno code: Int32) -> SRIOVError {
        SRIOVError(.system, "writing '\(value)' to \(file) failed: \(describe(code))", errno: code)
    }

    /// `EBUSY (Device or resource busy)`.
    static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return names[code].map { "\($0) (\(text))" } ?? text
    }

    private static let names: [Int32: String] = [
        EPERM: "EPERM", ENOENT: "ENOENT", EIO: "EIO", ENXIO: "ENXIO", EAGAIN: "EAGAIN", ENOMEM: "ENOMEM",
        EACCES: "EACCES", EBUSY: "EBUSY", EEXIST: "EEXIST", ENODEV: "ENODEV", EINVAL: "EINVAL", ENOSPC: "ENOSPC",
        EROFS: "EROFS", ERANGE: "ERANGE", EOPNOTSUPP: "EOPNOTSUPP",
    ]
}
