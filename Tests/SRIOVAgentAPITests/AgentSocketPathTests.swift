import Foundation
import Glibc
import SRIOVAgentAPI
import SRIOVCore
import Testing

/// The socket path: what the server refuses to start on (and leaves alone), the stale socket it
/// replaces, the mode and group it creates the socket with, and its removal at the end.
@Suite("agent API socket path")
struct AgentSocketPathTests {
    /// A unix socket bound at `path`, listening when `listening`, else closed (stale) unless `keepOpen`.
    static func bindSocket(_ path: String, listening: Bool, keepOpen: Bool = false) throws -> Int32 {
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
        if listening { try #require(listen(fd, 1) == 0) } else if !keepOpen { close(fd) }
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

    /// The PID of a process that has ended.
    static func deadPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test("the bind directories of agents killed between bind and link are removed at start; anything not certainly a dead agent's is left alone")
    func leftoverBindDirectories() async throws {
        let dir = try RunningAgentAPI.tempDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = dir + "/run"
        try FileManager.default.createDirectory(atPath: run, withIntermediateDirectories: true)
        let dead = try Self.deadPID()
        func leftover(_ name: String, mode: mode_t = 0o700, _ fill: (String) throws -> Void = { _ in }) throws -> String {
            let path = run + "/" + name
            try #require(mkdir(path, 0o700) == 0 && chmod(path, mode) == 0)
            try fill(path)
            return path
        }
        let staleSocket: (String) throws -> Void = { _ = try Self.bindSocket($0 + "/agent.sock", listening: false) }
        // An agent killed with its socket bound (kill -9 between bind and link), one killed right
        // after mkdtemp, and one from before the PID was in the name: removed.
        let removed = [try leftover(".agent-sock-\(dead)-a1b2c3", staleSocket), try leftover(".agent-sock-\(dead)-d4e5f6"),
                       try leftover(".agent-sock-Zq9xYw", staleSocket)]
        // Its agent still runs (PID 1), someone listens on it, it holds something else, it is
        // not private, it is not the pattern: left alone.
        var listener: Int32 = -1
        let kept = [try leftover(".agent-sock-1-keep01", staleSocket),
                    try leftover(".agent-sock-\(dead)-live01") { listener = try Self.bindSocket($0 + "/agent.sock", listening: true) },
                    try leftover(".agent-sock-\(dead)-note01") { try "mine".write(toFile: $0 + "/notes", atomically: false, encoding: .utf8) },
                    try leftover(".agent-sock-\(dead)-open01", mode: 0o755, staleSocket),
                    try leftover(".agent-sock-\(dead)-x", staleSocket),
                    try leftover(".agent-socket-\(dead)-abcdef", staleSocket)]
        defer { if listener >= 0 { close(listener) } }

        let agent = try await RunningAgentAPI(dir: dir)
        #expect(try await agent.request(.GET, "/v1/health").status == 200)
        for path in removed { #expect(Self.kind(path) == nil, "\(path) was left") }
        for path in kept { #expect(Self.kind(path) == S_IFDIR, "\(path) was removed") }
        #expect(Self.kind(kept[1] + "/agent.sock") == S_IFSOCK && Self.kind(kept[2] + "/notes") == S_IFREG)
        await agent.stop()
        // The server's own bind directory is gone too.
        let names = try FileManager.default.contentsOfDirectory(atPath: run).filter { $0.hasPrefix(".agent-sock-") }
        #expect(Set(names.map { run + "/" + $0 }) == Set(kept.dropLast()))
    }
}
