import Glibc
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

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
        do throws(Errno) {
            let fd = try Syscall.open(file, O_WRONLY | O_TRUNC | O_CLOEXEC)
            defer { close(fd) }
            _ = try Syscall.write(fd, Array(value.utf8))
        } catch {
            throw SysfsWriteError.make(file: file, value: value, errno: error.rawValue)
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
        Errno(rawValue: code).nameAndDescription
    }
}
