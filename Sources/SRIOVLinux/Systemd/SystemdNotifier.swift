import CNetlink
import Glibc
public import SRIOVCore

/// Tells systemd how a `Type=notify` service is doing, as `sd_notify(3)` does, without
/// libsystemd: one datagram (`READY=1`, `WATCHDOG=1`, `RELOADING=1`, `STOPPING=1`,
/// `STATUS=...`) to the unix socket named by `$NOTIFY_SOCKET` (a path, or `@name` for an
/// abstract socket).
///
/// Without `$NOTIFY_SOCKET` (not started by systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    /// The socket address as given (`/run/systemd/notify`, `@abstract`), `nil` when unset.
    public let socketPath: String?
    /// Half of `$WATCHDOG_USEC` when the watchdog is on for this process (`WatchdogSec=`),
    /// in milliseconds: how often to send `WATCHDOG=1`. `nil` when it is off.
    public let watchdogIntervalMilliseconds: Int?

    /// Reads `$NOTIFY_SOCKET`, `$WATCHDOG_USEC` and `$WATCHDOG_PID` from `environment`.
    public init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        var interval: Int?
        if let text = environment["WATCHDOG_USEC"], let usec = Int(text), usec > 0 {
            let pid = environment["WATCHDOG_PID"].flatMap { Int32($0) }
            if pid == nil || pid == getpid() { interval = max(1, usec / 2000) }
        }
        watchdogIntervalMilliseconds = interval
    }

    /// Sends `state` (newline-separated `KEY=value` lines). Returns the error text when the
    /// datagram could not be sent; `nil` on success or without a socket.
    @discardableResult
    public func notify(_ state: String) -> String? {
        guard let socketPath else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        let abstract = pathBytes.first == UInt8(ascii: "@")
        if abstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !pathBytes.isEmpty, pathBytes.count < capacity, abstract || pathBytes.first == UInt8(ascii: "/") else {
            return "NOTIFY_SOCKET '\(TextRules.escaped(socketPath))' is not a socket path or @name"
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in pathBytes.enumerated() { raw[i] = byte }
        }
        // An abstract name's length is exact (no terminating NUL); a path's includes its NUL.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (abstract ? 0 : 1))
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return "socket: \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        let message = Array(state.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { addr in
                message.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), addr, length) }
            }
        }
        guard sent == message.count else { return "sending to \(socketPath): \(String(cString: strerror(errno)))" }
        return nil
    }
}
