import CNetlink
import Glibc
public import SRIOVCore

/// The agent's two kernel event sockets: rtnetlink link notifications (`NETLINK_ROUTE`,
/// group `RTNLGRP_LINK`) and kernel uevents (`NETLINK_KOBJECT_UEVENT`, group 1), read
/// together by ``receive()``, which blocks (run it on a thread of its own) until a datagram
/// arrives or ``stop()`` is called.
///
/// Only datagrams from the kernel (sender port 0) are read. A receive buffer overrun
/// (`ENOBUFS`: the kernel dropped notifications) is reported as such, so the agent looks at
/// every PF instead of trusting what it has seen.
public final class KernelEventSockets: @unchecked Sendable {
    /// What one ``receive()`` call got.
    public struct Received: Sendable {
        /// Events, in arrival order.
        public var events: [PFEvent] = []
        /// Datagrams or messages that could not be read, and receive errors.
        public var errors: Int = 0
        /// The kernel dropped messages (ENOBUFS): some change may have gone unseen.
        public var overrun = false
        /// Datagrams read.
        public var datagrams = 0
        /// ``KernelEventSockets/stop()`` was called: no more events will come.
        public var stopped = false
        /// Why the last error happened, for the log.
        public var lastError: String?
    }

    // Descriptors are set once in init and closed in deinit; `stop` only writes to the eventfd.
    private let linkFD: Int32
    private let ueventFD: Int32
    /// A pipe: ``stop()`` writes to `wakeWriteFD`, ``receive()`` polls `wakeFD`.
    private let wakeFD: Int32
    private let wakeWriteFD: Int32
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)

    static let netlinkKobjectUevent: Int32 = 15
    static let rtnlgrpLinkMask: UInt32 = 1        // RTMGRP_LINK
    static let ueventKernelGroup: UInt32 = 1

    /// Opens and binds both sockets. Throws naming the socket when the kernel refuses one
    /// (no CAP_NET_ADMIN is needed to listen; a kernel without netlink is the usual cause).
    public init() throws(SRIOVError) {
        linkFD = try Self.open(protocol: Int32(NETLINK_ROUTE), groups: Self.rtnlgrpLinkMask, what: "rtnetlink link notifications")
        do {
            ueventFD = try Self.open(protocol: Self.netlinkKobjectUevent, groups: Self.ueventKernelGroup, what: "kernel uevents")
        } catch {
            close(linkFD)
            throw error
        }
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            let err = errno
            close(linkFD)
            close(ueventFD)
            throw SRIOVError(.system, "agent: cannot make a pipe: \(String(cString: strerror(err)))", errno: err)
        }
        wakeFD = pipeFDs[0]
        wakeWriteFD = pipeFDs[1]
        for fd in pipeFDs {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
    }

    deinit {
        close(linkFD)
        close(ueventFD)
        close(wakeFD)
        close(wakeWriteFD)
    }

    /// Makes a blocked or later ``receive()`` return with ``Received/stopped``.
    public func stop() {
        var one: UInt8 = 1
        _ = write(wakeWriteFD, &one, 1)
    }

    /// Waits for the next datagram(s) and parses them. Not reentrant: one thread calls it.
    public func receive() -> Received {
        var result = Received()
        var fds = [pollfd(fd: linkFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: ueventFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
        let ready = poll(&fds, 3, -1)
        if ready < 0 {
            if errno != EINTR {
                result.errors += 1
                result.lastError = "poll: \(String(cString: strerror(errno)))"
            }
            return result
        }
        if fds[2].revents != 0 {
            result.stopped = true
            return result
        }
        if fds[0].revents != 0 { drain(linkFD, into: &result, parse: Self.parseLink) }
        if fds[1].revents != 0 { drain(ueventFD, into: &result, parse: Self.parseUevent) }
        return result
    }

    private static func parseLink(_ bytes: [UInt8], _ result: inout Received) {
        let parsed = LinkNotificationParser.parse(bytes)
        result.events += parsed.events
        result.errors += parsed.malformed
        if parsed.malformed > 0 { result.lastError = "a malformed rtnetlink message" }
    }

    private static func parseUevent(_ bytes: [UInt8], _ result: inout Received) {
        let parsed = UeventParser.parse(bytes)
        if let event = parsed.event { result.events.append(event) }
        if parsed.malformed {
            result.errors += 1
            result.lastError = "a malformed uevent"
        }
    }

    /// Reads every datagram waiting on `fd` (non-blocking), from the kernel only.
    private func drain(_ fd: Int32, into result: inout Received, parse: ([UInt8], inout Received) -> Void) {
        while true {
            var source = sockaddr_nl()
            var sourceLength = socklen_t(MemoryLayout<sockaddr_nl>.size)
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutablePointer(to: &source) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(fd, raw.baseAddress, raw.count, Int32(MSG_DONTWAIT | MSG_TRUNC), $0, &sourceLength)
                    }
                }
            }
            if count < 0 {
                let err = errno
                if err == EAGAIN || err == EWOULDBLOCK || err == EINTR { return }
                if err == ENOBUFS {
                    result.overrun = true
                    result.errors += 1
                    result.lastError = "the kernel dropped event messages (ENOBUFS)"
                    continue
                }
                result.errors += 1
                result.lastError = "receive: \(String(cString: strerror(err)))"
                return
            }
            result.datagrams += 1
            guard source.nl_pid == 0 else { continue }   // not from the kernel
            guard count <= buffer.count else {
                result.errors += 1
                result.lastError = "an event datagram of \(count) bytes was truncated"
                result.overrun = true
                continue
            }
            parse(Array(buffer[0..<count]), &result)
        }
    }

    private static func open(protocol proto: Int32, groups: UInt32, what: String) throws(SRIOVError) -> Int32 {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), proto)
        guard fd >= 0 else {
            let err = errno
            throw SRIOVError(.system, "agent: cannot open a socket for \(what): \(String(cString: strerror(err)))", errno: err)
        }
        // A PF reset sends hundreds of messages at once: a large buffer keeps them (FORCE
        // needs CAP_NET_ADMIN, which the agent has; the plain option is the fallback).
        var size: Int32 = 4 << 20
        if setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, socklen_t(MemoryLayout<Int32>.size)) != 0 {
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_nl()
        address.nl_family = sa_family_t(AF_NETLINK)
        address.nl_groups = groups
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_nl>.size))
            }
        }
        guard bound == 0 else {
            let err = errno
            close(fd)
            throw SRIOVError(.system, "agent: cannot subscribe to \(what): \(String(cString: strerror(err)))", errno: err)
        }
        return fd
    }
}
