import Foundation
import Glibc
import SRIOVAgentAPI
import SRIOVTesting
import Testing

/// `sriovctl agent` as systemd runs it, on a host with no SR-IOV PF (an empty sysfs tree):
/// READY=1 on $NOTIFY_SOCKET after the first pass, SIGHUP with a broken config logged with
/// file:line:key while it keeps running, SIGTERM ends it with status 0 and STOPPING=1.
/// Synchronised on what the agent sends and prints, never on sleeps.
@Suite("agent: the process under systemd's protocol")
struct AgentProcessTests {
    /// A bound unix datagram socket standing in for systemd's notify socket.
    final class NotifySocket {
        let path: String
        let fd: Int32
        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard fd >= 0, bound == 0 else { throw POSIXError(.EADDRINUSE) }
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
        deinit { close(fd); unlink(path) }
        /// The next datagram, or nil after 60 s.
        func next() -> String? {
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = recv(fd, &buffer, buffer.count, 0)
            return count < 0 ? nil : String(decoding: buffer.prefix(count), as: UTF8.self)
        }
    }

    /// Reads a pipe line by line until a line contains `text` (or 60 s pass, or EOF).
    static func waitForLine(containing text: String, in handle: FileHandle, seen: inout String) -> String? {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let line = seen.split(separator: "\n").first(where: { $0.contains(text) }) { return String(line) }
            var descriptor = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 1000) >= 0 else { return nil }
            if descriptor.revents == 0 { continue }
            let data = handle.availableData
            if data.isEmpty { return nil }
            seen += String(decoding: data, as: UTF8.self)
        }
        return nil
    }

    @Test("READY=1 after the first pass, WATCHDOG=1 at half WatchdogSec; a broken config on SIGHUP is named and the agent keeps running; SIGTERM: status 0")
    func lifecycle() throws {
        let scratch = try ProvisionContribTests.Scratch()
        let config = scratch.path + "/config.yaml"
        try "version: 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: scratch.path + "/sys", withIntermediateDirectories: true)
        let notify = try NotifySocket(path: scratch.path + "/notify")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: SriovctlProcess.binaryPath)
        process.arguments = ["agent", "--config-file", config, "--db", scratch.path + "/state.db",
                             "--sysfs-root", scratch.path + "/sys"]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment["WATCHDOG_USEC"] = "200000"   // WatchdogSec=200ms: WATCHDOG=1 every 100 ms
        environment.removeValue(forKey: "WATCHDOG_PID")
        process.environment = environment
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let ready = notify.next()
        #expect(ready?.hasPrefix("READY=1") == true, "first notification: \(ready ?? "none")")
        #expect(notify.next() == "WATCHDOG=1")
        #expect(notify.next() == "WATCHDOG=1")

        try "version: 1\nagent:\n  full_pass_interval: soon\n".write(toFile: config, atomically: true, encoding: .utf8)
        kill(process.processIdentifier, SIGHUP)
        var seen = ""
        let line = Self.waitForLine(containing: "config not reloaded", in: stderr.fileHandleForReading, seen: &seen)
        #expect(line?.contains("\(config):3: agent.full_pass_interval: full pass interval 'soon'") == true, "\(seen)")
        #expect(process.isRunning)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        // WATCHDOG=1 datagrams still queued come first.
        var last: String?
        for _ in 0..<10_000 {
            last = notify.next()
            if last == nil || last == "STOPPING=1" { break }
        }
        #expect(last == "STOPPING=1")
    }

    @Test("the agent serves its local API on --agent-socket: GET /metrics counts its own passes, from its statistics; SIGTERM removes the socket")
    func localAPI() throws {
        let scratch = try ProvisionContribTests.Scratch()
        let config = scratch.path + "/config.yaml"
        try "version: 1\n".write(toFile: config, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: scratch.path + "/sys", withIntermediateDirectories: true)
        let notify = try NotifySocket(path: scratch.path + "/notify")
        let socket = scratch.path + "/agent.sock"

        let process = Process()
        process.executableURL = URL(fileURLWithPath: SriovctlProcess.binaryPath)
        process.arguments = ["agent", "--config-file", config, "--db", scratch.path + "/state.db",
                             "--sysfs-root", scratch.path + "/sys", "--agent-socket", socket]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = notify.path
        environment.removeValue(forKey: "WATCHDOG_USEC")
        environment.removeValue(forKey: "WATCHDOG_PID")
        process.environment = environment
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        var seen = ""
        #expect(Self.waitForLine(containing: "agent API listening", in: stderr.fileHandleForReading, seen: &seen) != nil, "\(seen)")
        let ready = notify.next()
        #expect(ready?.hasPrefix("READY=1") == true, "first notification: \(ready ?? "none")")

        guard case .answered(let status, let body) = try AgentClient(socketPath: socket).send("GET", "/metrics") else {
            Issue.record("nobody answered on \(socket): \(seen)")
            return
        }
        let text = String(decoding: body, as: UTF8.self)
        #expect(status == 200)
        #expect(text.contains("sriovctl_passes_total{trigger=\"startup\"} 1"), "\(text)")
        #expect(text.contains("sriovctl_pass_duration_seconds_count 1"), "\(text)")

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: socket))
    }
}
