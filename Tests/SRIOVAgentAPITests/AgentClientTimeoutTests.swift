import Foundation
import Glibc
import SRIOVAgentAPI
import SRIOVCore
import Synchronization
import Testing

/// The CLI's agent client never waits forever: against a socket that takes the request and
/// never answers, and one whose listen queue is full, it gives up with an error that says
/// whether the agent may still do the request and what to run to see.
@Suite("agent client: connect and response timeouts")
struct AgentClientTimeoutTests {
    /// A listening unix socket at `path` with a listen queue of `backlog`.
    static func listener(_ path: String, backlog: Int32) throws -> Int32 {
        let fd = try AgentSocketPathTests.bindSocket(path, listening: false, keepOpen: true)
        try #require(listen(fd, backlog) == 0)
        return fd
    }

    /// A raw connection to `path` (fills the listen queue).
    static func rawConnect(_ path: String) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(result == 0, "connect: \(String(cString: strerror(errno)))")
        return fd
    }

    @Test("a socket that accepts the request and never answers: the client stops after its response timeout; the request may still complete, and it says what to run")
    func acceptsAndNeverAnswers() throws {
        let dir = try RunningAgentAPI.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/agent.sock"
        let fd = try Self.listener(path, backlog: 4)
        defer { close(fd) }
        // The silent agent: accepts, reads the request, never writes.
        let received = Mutex<[UInt8]>([])
        let finished = DispatchSemaphore(value: 0)
        let silent = Thread {
            defer { finished.signal() }
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(connection, &buffer, buffer.count, 0)
                if n <= 0 { break }
                received.withLock { $0 += buffer[0..<n] }
            }
            close(connection)
        }
        silent.start()

        let client = AgentClient(socketPath: path, responseTimeout: .milliseconds(300), checkCommand: "sriovctl leases --direct")
        let body = Array(#"{"guest": "web1", "network": "prod"}"#.utf8)
        let error = #expect(throws: SRIOVError.self) { try client.send("POST", "/v1/attach", body: body) }
        let message = error?.message ?? ""
        #expect(message.contains("the agent at \(path) took POST /v1/attach but did not answer within 0.3 s"), "\(message)")
        #expect(message.contains("it had the whole request and may still complete it"), "\(message)")
        #expect(message.contains("run `sriovctl leases --direct` to see whether it did"), "\(message)")
        // The client closed its end: the silent agent saw the whole request, then the end.
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(received.withLock { $0 }.suffix(body.count) == body[...])
    }

    @Test("a socket whose listen queue stays full: the client stops after its connect timeout; nothing was sent, so nothing was done")
    func queueFull() throws {
        let dir = try RunningAgentAPI.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/agent.sock"
        let fd = try Self.listener(path, backlog: 0)
        defer { close(fd) }
        let queued = try Self.rawConnect(path)   // the one connection a queue of 0 holds
        defer { close(queued) }

        let client = AgentClient(socketPath: path, connectTimeout: .milliseconds(200))
        let error = #expect(throws: SRIOVError.self) { try client.send("POST", "/v1/provision", body: Array("{}".utf8)) }
        let message = error?.message ?? ""
        #expect(message.contains("the agent at \(path) did not take the connection within 0.2 s"), "\(message)")
        #expect(message.contains("nothing was sent, so it did nothing with POST /v1/provision"), "\(message)")
    }
}
