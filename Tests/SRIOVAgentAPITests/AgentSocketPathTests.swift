import Foundation
import Glibc
import SRIOVAgentAPI
import SRIOVCore
import Testing

/// The socket path: what the server refuses to start on (and leaves alone), the stale socket it
/// replaces, the mode and group it creates the socket with, and its removal at the end.
@Suite("agent API socket path")
struct AgentSocketPathTests {
    /// A unix socket bound at `path`, listening when `listening`, else closed (stale).
    static func bindSocket(_ path: String, listening: Bool) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0, "bind: \(String(cString: strerror(errno)))")
        if listening { try #require(listen(fd, 1) == 0) } else { close(fd) }
        return fd
    }

    static func kind(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
    }

    enum Occupant: String, CaseIterable {
        case regularFile, symlink, symlinkToNothing, directory, liveSocket, fifo
    }

    @Test("the server refuses to start when the path is not its own stale socket, and leaves it alone",
          arguments: Occupant.allCases)
    func refuses(occupant: Occupant) async throws {
        let dir = try RunningAgentAPI.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socketPath = dir + "/run/agent.sock"
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        var listener: Int32 = -1
        switch occupant {
        case .regularFile: try "keep me".write(toFile: socketPath, atomically: false, encoding: .utf8)
        case .symlink:
            try "target".write(toFile: dir + "/target", atomically: false, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: socketPath, withDestinationPath: dir + "/target")
        case .symlinkToNothing: try FileManager.default.createSymbolicLink(atPath: socketPath, withDestinationPath: dir + "/none")
        case .directory: try FileManager.default.createDirectory(atPath: socketPath, withIntermediateDirectories: false)
        case .liveSocket: listener = try Self.bindSocket(socketPath, listening: true)
        case .fifo: try #require(mkfifo(socketPath, 0o600) == 0)
        }
        defer { if listener >= 0 { close(listener) } }
        let before = Self.kind(socketPath)
        await #expect(throws: SRIOVError.self) {
            _ = try await RunningAgentAPI(dir: dir)
        }
        #expect(Self.kind(socketPath) == before)
        if occupant == .regularFile { #expect(try String(contentsOfFile: socketPath, encoding: .utf8) == "keep me") }
        if occupant == .symlink { #expect(try String(contentsOfFile: dir + "/target", encoding: .utf8) == "target") }
        // No temporary bind directory is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/run").filter { $0.hasPrefix(".agent-sock") }.isEmpty)
    }

    @Test("its own stale socket (nobody listening) is replaced and the server answers")
    func staleSocket() async throws {
        let dir = try RunningAgentAPI.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        _ = try Self.bindSocket(dir + "/run/agent.sock", listening: false)
        let agent = try await RunningAgentAPI(dir: dir)
        #expect(try await agent.request(.GET, "/v1/health").status == 200)
        await agent.stop()
    }

    @Test("a stale socket owned by another user is left alone",
          .enabled(if: geteuid() == 0, "needs root to give the socket to another user"))
    func foreignSocket() async throws {
        let dir = try RunningAgentAPI.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let socketPath = dir + "/run/agent.sock"
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        _ = try Self.bindSocket(socketPath, listening: false)
        try #require(lchown(socketPath, 65534, gid_t.max) == 0)
        await #expect(throws: SRIOVError.self) { _ = try await RunningAgentAPI(dir: dir) }
        #expect(Self.kind(socketPath) == S_IFSOCK)
    }

    // bind() alone makes the socket 0777 & ~umask (0755 under the usual 022); the umask is not
    // changed here, as it is the whole test process's and other tests create files meanwhile.
    @Test("the socket is created 0660 with the configured group, and removed at the end")
    func modeAndGroup() async throws {
        let agent = try await RunningAgentAPI(group: String(getegid()))
        var info = stat()
        try #require(lstat(agent.socketPath, &info) == 0)
        #expect(info.st_mode & S_IFMT == S_IFSOCK)
        #expect(info.st_mode & 0o7777 == 0o660)
        #expect(info.st_gid == getegid())
        #expect(try await agent.request(.GET, "/v1/health").status == 200)
        await agent.stop()
        #expect(Self.kind(agent.socketPath) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: agent.dir + "/run").isEmpty)
    }

    @Test("an unknown group refuses to start, naming it")
    func unknownGroup() async throws {
        await #expect(throws: SRIOVError.self) { _ = try await RunningAgentAPI(group: "no-such-group-sriovctl") }
    }
}
