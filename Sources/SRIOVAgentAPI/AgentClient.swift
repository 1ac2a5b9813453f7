import Foundation
import Glibc
public import SRIOVCore

/// The CLI's side of the local API: one HTTP/1.1 request on the agent's unix socket, blocking,
/// `Connection: close`. Used by `attach`, `detach`, `provision` and `audit --fix` when an agent
/// answers, and by the agent itself to tell its own stale socket from a live one.
///
/// Never waits forever: connecting and sending the request must finish within
/// ``connectTimeout`` (an agent whose listen queue is full counts as not answering), and the
/// whole answer must arrive within ``responseTimeout`` of the request being sent. A timeout is
/// an error that says whether the agent may still do the request (it had it all) or cannot
/// (it never had it all), and what to run to see.
public struct AgentClient: Sendable {
    /// The socket path.
    public let socketPath: String
    /// Longest wait to connect and to send the request.
    public let connectTimeout: Duration
    /// Longest wait for the whole answer once the request is sent.
    public let responseTimeout: Duration
    /// The command that shows whether a request that timed out was done (`sriovctl leases --direct`),
    /// named in the timeout error.
    public let checkCommand: String

    /// The default ``connectTimeout``: 5 s.
    public static let defaultConnectTimeout: Duration = .seconds(5)
    /// The default ``responseTimeout``: 300 s (an attach may wait for the operation lock while
    /// another command or a pass holds it; a provision may create and program hundreds of VFs).
    public static let defaultResponseTimeout: Duration = .seconds(300)

    /// A client for the agent at `socketPath`.
    public init(socketPath: String, connectTimeout: Duration = defaultConnectTimeout,
                responseTimeout: Duration = defaultResponseTimeout, checkCommand: String = "sriovctl leases --direct") {
        self.socketPath = socketPath
        self.connectTimeout = connectTimeout
        self.responseTimeout = responseTimeout
        self.checkCommand = checkCommand
    }

    /// This client, naming `command` in its timeout errors (what shows whether the request was done).
    public func checking(with command: String) -> AgentClient {
        AgentClient(socketPath: socketPath, connectTimeout: connectTimeout, responseTimeout: responseTimeout,
                    checkCommand: command)
    }

    /// What a request got.
    public enum Outcome: Sendable {
        /// No agent: the socket is missing or nobody listens on it. The caller works directly.
        case noAgent
        /// The agent's answer.
        case answered(status: Int, body: [UInt8])
    }

    /// Sends `method path` with `body` (JSON) and `headers`; reads the whole answer.
    public func send(_ method: String, _ path: String, body: [UInt8]? = nil,
                     headers: [(String, String)] = []) throws(SRIOVError) -> Outcome {
        let fd: Int32
        switch Self.connect(socketPath, timeout: connectTimeout) {
        case .connected(let socket): fd = socket
        case .refused: return .noAgent
        case .timedOut:
            throw SRIOVError(.busy, "the agent at \(socketPath) did not take the connection within \(Self.seconds(connectTimeout)); "
                             + "nothing was sent, so it did nothing with \(method) \(path) (its listen queue is full: is it stuck? "
                             + "--direct works without it)", errno: EAGAIN)
        case .failed(let message): throw SRIOVError(.system, "the agent at \(socketPath): \(message) (--direct works without it)")
        }
        defer { close(fd) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + (body ?? [])
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw SRIOVError(.busy, "the agent at \(socketPath) did not take \(method) \(path) within \(Self.seconds(connectTimeout)) "
                                     + "(\(sent) of \(request.count) bytes sent); it never had the whole request, so it did nothing "
                                     + "with it: run `\(checkCommand)` to see the state, or retry", errno: EAGAIN)
                }
                throw SRIOVError(.system, "the agent at \(socketPath): sending failed: \(String(cString: strerror(errno)))", errno: errno)
            }
            sent += n
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = ContinuousClock.now + responseTimeout
        while true {
            guard Self.waitReadable(fd, until: deadline) else {
                throw SRIOVError(.busy, "the agent at \(socketPath) took \(method) \(path) but did not answer within "
                                 + "\(Self.seconds(responseTimeout)); it had the whole request and may still complete it: "
                                 + "run `\(checkCommand)` to see whether it did, before you retry", errno: ETIMEDOUT)
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK { continue }
                throw SRIOVError(.system, "the agent at \(socketPath): reading failed: \(String(cString: strerror(errno)))", errno: errno)
            }
            if n == 0 { break }
            answer.append(contentsOf: chunk[0..<n])
        }
        return try Self.parse(answer, from: socketPath)
    }

    /// Waits until `fd` has something to read (or was closed); false once `deadline` passed.
    static func waitReadable(_ fd: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return false }
            let milliseconds = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1
            var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: milliseconds))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }   // recv reports the error
        }
    }

    /// `5 s`, `0.2 s`.
    static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }

    /// An HTTP/1.1 response: status, headers, and a body by Content-Length, chunks, or to the end.
    static func parse(_ bytes: [UInt8], from socketPath: String) throws(SRIOVError) -> Outcome {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else {
            throw SRIOVError(.system, "the agent at \(socketPath) closed the connection without a complete answer")
        }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw SRIOVError(.system, "the agent at \(socketPath) answered something that is not HTTP")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try dechunk(body, from: socketPath)
        } else if let length = headers["content-length"].flatMap({ Int($0) }), length <= body.count {
            body = Array(body[..<length])
        }
        return .answered(status: status, body: body)
    }

    private static func dechunk(_ bytes: [UInt8], from socketPath: String) throws(SRIOVError) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard let lineEnd = bytes[index...].indices.first(where: { bytes[$0...].starts(with: [13, 10]) }),
                  let size = Int(String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";")[0], radix: 16)
            else { throw SRIOVError(.system, "the agent at \(socketPath) sent a malformed chunk") }
            if size == 0 { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { throw SRIOVError(.system, "the agent at \(socketPath) sent a short chunk") }
            result.append(contentsOf: bytes[start..<(start + size)])
            index = start + size + 2
        }
        return result
    }

    // MARK: Connecting

    /// Whether someone answers on the socket at `path`, for the agent's stale-socket check.
    enum Probe { case refused, answered, failed(String) }

    static func probe(_ path: String) -> Probe {
        switch connect(path, timeout: defaultConnectTimeout) {
        case .connected(let fd):
            close(fd)
            return .answered
        case .refused: return .refused
        case .timedOut: return .answered   // someone listens, with a full queue
        case .failed(let message): return .failed(message)
        }
    }

    enum Connection { case connected(Int32), refused, timedOut, failed(String) }

    /// Connects to the unix socket at `path`: `refused` when it is missing or nobody listens,
    /// `timedOut` when its listen queue stays full for `timeout`. The socket keeps `timeout` as
    /// its send timeout (SO_SNDTIMEO, which also bounds a unix socket's connect).
    static func connect(_ path: String, timeout: Duration) -> Connection {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return .failed("the socket path is too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failed("socket: \(String(cString: strerror(errno)))") }
        var limit = timeval(tv_sec: Int(timeout.components.seconds),
                            tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        if limit.tv_sec == 0 && limit.tv_usec == 0 { limit.tv_usec = 1 }
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var result: Int32
        repeat {
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        } while result != 0 && errno == EINTR
        if result == 0 { return .connected(fd) }
        let code = errno
        close(fd)
        switch code {
        case ENOENT, ECONNREFUSED: return .refused
        case EAGAIN, EINPROGRESS: return .timedOut
        default: return .failed(String(cString: strerror(code)))
        }
    }
}
