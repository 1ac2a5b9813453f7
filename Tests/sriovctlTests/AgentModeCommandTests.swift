import Foundation
import Logging
import NIOConcurrencyHelpers
import SRIOVAgentAPI
import SRIOVCore
import SRIOVTesting
import ServiceLifecycle
import Testing
@testable import sriovctl

/// attach, detach and leases through a running agent (an ``AgentAPIServer`` in this process,
/// bound to the commands' own code) print exactly what they print directly, on twin hosts.
@Suite("sriovctl commands through the agent")
struct AgentModeCommandTests {
    /// ``CommandAgentOperations`` that counts the calls, to prove the agent was used.
    final class Counting: AgentOperations {
        let base: CommandAgentOperations
        let calls = NIOLockedValueBox(0)
        init(_ base: CommandAgentOperations) { self.base = base }
        func attach(_ r: AttachRequest) throws(SRIOVError) -> AttachmentResult { calls.withLockedValue { $0 += 1 }; return try base.attach(r) }
        func detach(_ r: DetachRequest) throws(SRIOVError) -> DetachResult { calls.withLockedValue { $0 += 1 }; return try base.detach(r) }
        func provision(_ r: ProvisionRequest) throws(SRIOVError) -> ProvisionAnswer { calls.withLockedValue { $0 += 1 }; return try base.provision(r) }
        func leases() throws(SRIOVError) -> LeaseReport { calls.withLockedValue { $0 += 1 }; return try base.leases() }
        func audit() throws(SRIOVError) -> AuditReport { try base.audit() }
        func auditFix(_ r: AgentAuditFixRequest) throws(SRIOVError) -> AuditFixResult { calls.withLockedValue { $0 += 1 }; return try base.auditFix(r) }
        func showVFs(pf: String) throws(SRIOVError) -> PFLinkStatus { try base.showVFs(pf: pf) }
        func applyVFs(pf: String, specLines: String, source: String) throws(SRIOVError) -> VFApplyReport {
            try base.applyVFs(pf: pf, specLines: specLines, source: source)
        }
        func health() -> AgentHealth { base.health() }
    }

    /// An agent for `host`, serving until `body` returns.
    static func withAgent<T>(for host: AttachCommandTests.Host, socket: String, provisionOptions: Bool = false,
                             _ body: (Counting) async throws -> T) async throws -> T {
        let operations = Counting(CommandAgentOperations(sysfsRoot: host.sysfs.root, database: host.db,
                                                         configFile: host.configPath, etcRoot: host.dir + "/etc",
                                                         provisionNetlink: !provisionOptions,
                                                         environment: [SriovctlProcess.unprogrammedVFsVariable: "1"]))
        let (ready, continuation) = AsyncStream<Void>.makeStream()
        let server = AgentAPIServer(configuration: AgentAPIConfiguration(socketPath: socket), operations: operations,
                                    metricsSource: FixedAgentMetricsSource(), logger: Logger(label: "test"),
                                    onReady: { _ in continuation.yield() })
        // As the agent runs it: in a ServiceGroup, stopped by graceful shutdown.
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task { try await group.run() }
        defer { task.cancel() }
        for await _ in ready { break }
        let result = try await body(operations)
        await group.triggerGracefulShutdown()
        try await task.value
        return result
    }

    /// Runs the command (the runner suspends; it holds none of the threads the in-process
    /// server's async code runs on).
    static func run(_ host: AttachCommandTests.Host, _ arguments: [String]) async throws -> SriovctlProcess.Result {
        try await host.run(arguments)
    }

    /// `text` with ISO 8601 times replaced by `<time>`, and `host`'s directory by `<host>`.
    static func timeless(_ text: String, _ host: AttachCommandTests.Host? = nil) -> String {
        (host.map { text.replacingOccurrences(of: $0.dir, with: "<host>") } ?? text)
            .replacing(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/, with: "<time>")
            .replacing(/\d+(\.\d+)? ?(ms|µs|us|ns|s)\b/, with: "<duration>")
            .replacing(/"(\w+Ms|\w+Seconds|durationMs|ms)" : [\d.]+/, with: "<duration>")
    }

    static func socketPath() -> String { "/tmp/sa-" + UUID().uuidString.prefix(8) + ".sock" }

    @Test("attach, detach and leases print the same through the agent as directly, and the agent did the work")
    func sameOutput() async throws {
        let direct = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let viaAgent = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let socket = Self.socketPath()
        let steps: [[String]] = [
            ["attach", "a", "--network", "prod", "--no-program"],
            ["attach", "b", "--network", "prod", "--format", "json", "--no-program", "--trust", "on"],
            ["attach", "c", "--network", "prod", "--format", "xl", "--no-program"],
            ["attach", "a", "--network", "prod", "--no-program"],
            ["detach", "b", "--network", "prod", "--no-program"],
            ["detach", "c", "--network", "prod", "--forget", "--json", "--no-program"],
            ["leases", "--json"],
            ["leases"],
            ["attach", "d", "--network", "nope", "--no-program"],
            ["detach", "zed", "--network", "prod", "--no-program"],
        ]
        let calls = try await Self.withAgent(for: viaAgent, socket: socket) { operations in
            for step in steps {
                let expected = try await Self.run(direct, step)
                let got = try await Self.run(viaAgent, step + ["--agent-socket", socket])
                #expect(got.status == expected.status, "\(step): \(got.stderr)")
                // Twin hosts differ only in when leases were made.
                #expect(Self.timeless(got.stdout) == Self.timeless(expected.stdout), "\(step)")
                #expect(Self.timeless(got.stderr) == Self.timeless(expected.stderr), "\(step)")
            }
            return operations.calls.withLockedValue { $0 }
        }
        // Every step but the two leases commands changed or read through the agent.
        #expect(calls == steps.count)
    }

    @Test("audit --fix prints the same through the agent as directly: its repair lines, its report, its exit status")
    func auditFix() async throws {
        let direct = try AttachCommandTests.Host(try HostFixtures.netdevsim(), config: "")
        let viaAgent = try AttachCommandTests.Host(try HostFixtures.netdevsim(), config: "")
        let socket = Self.socketPath()
        let steps: [[String]] = [
            ["audit", "--fix", "--no-libvirt", "--host-name", "host01", "--format", "json"],
            ["audit", "--fix", "--dry-run", "--no-libvirt", "--host-name", "host01"],
            ["audit", "--fix", "--no-libvirt", "--host-name", "host01", "--vf", "eni10np1:9"],
            ["audit", "--fix", "--no-libvirt", "--host-name", "host01", "--vf", "nonsense"],
        ]
        let calls = try await Self.withAgent(for: viaAgent, socket: socket) { operations in
            for step in steps {
                let expected = try await Self.run(direct, step)
                let got = try await Self.run(viaAgent, step + ["--agent-socket", socket])
                #expect(got.status == expected.status, "\(step): \(got.stderr)")
                // Twin hosts differ in their temp directories and in when things happened.
                #expect(Self.timeless(got.stdout, viaAgent) == Self.timeless(expected.stdout, direct), "\(step)")
                #expect(Self.timeless(got.stderr, viaAgent) == Self.timeless(expected.stderr, direct), "\(step)")
            }
            return operations.calls.withLockedValue { $0 }
        }
        // The last step is refused by the agent's body check before any call.
        #expect(calls == steps.count - 1)
    }

    @Test("provision prints the same through the agent as directly: plan, outcome, nothing to do, refusals")
    func provision() async throws {
        let config = "pfs:\n  - netdev: eni10np1\n    num_vfs: 4\n"
        let direct = try AttachCommandTests.Host(try HostFixtures.netdevsim(numVFs: 0), config: config)
        let viaAgent = try AttachCommandTests.Host(try HostFixtures.netdevsim(numVFs: 0), config: config)
        let socket = Self.socketPath()
        let steps: [[String]] = [
            ["provision", "--dry-run"],
            ["provision", "--dry-run", "--json"],
            ["provision"],
            ["provision"],
            ["provision", "--json"],
        ]
        let calls = try await Self.withAgent(for: viaAgent, socket: socket, provisionOptions: true) { operations in
            for step in steps {
                // The agent provisions without netlink into the host's own etc (as the direct twin is told to).
                let expected = try await Self.run(direct, step + ["--no-netlink", "--etc-root", direct.dir + "/etc"])
                let got = try await Self.run(viaAgent, step + ["--agent-socket", socket])
                #expect(got.status == expected.status, "\(step): \(got.stderr)")
                #expect(Self.timeless(got.stdout, viaAgent) == Self.timeless(expected.stdout, direct), "\(step)")
                #expect(Self.timeless(got.stderr, viaAgent) == Self.timeless(expected.stderr, direct), "\(step)")
            }
            return operations.calls.withLockedValue { $0 }
        }
        #expect(calls == steps.count)
        #expect(viaAgent.sysfs.read("devices/netdevsim10/sriov_numvfs") == "4")
    }

    @Test("7 attaches through the agent and 7 direct ones at once get 14 distinct VFs and MACs")
    func concurrentAttaches() async throws {
        let host = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: """
            networks:
              - name: prod
                pfs: [eth0, eth1]
            """)
        let socket = Self.socketPath()
        let common = ["--network", "prod", "--no-program", "--format", "json",
                      "--sysfs-root", host.sysfs.root, "--db", host.db, "--config-file", host.configPath]
        let calls = try await Self.withAgent(for: host, socket: socket) { operations in
            let lists = (0..<14).map { ["attach", "g\($0)"] + common + ($0 % 2 == 0 ? ["--agent-socket", socket] : ["--direct"]) }
            let results = await SriovctlProcess.runAtOnce(lists)
            for result in results {
                let done = try result.get()
                #expect(done.status == 0, "\(done.stderr)")
            }
            return operations.calls.withLockedValue { $0 }
        }
        #expect(calls == 7)
        let leases = try await host.leases()
        #expect(leases.count == 14)
        #expect(Set(leases.compactMap { $0["mac"] as? String }).count == 14)
        #expect(Set(leases.compactMap { $0["vfPciAddress"] as? String }).count == 14)
    }

    @Test("with no agent on the socket the command works directly, silently; --direct never asks the agent")
    func noAgent() async throws {
        let host = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let missing = try await Self.run(host, ["attach", "a", "--network", "prod", "--no-program", "--agent-socket", Self.socketPath()])
        #expect(missing.status == 0 && missing.stderr.contains("a on prod: attached"), "\(missing.stderr)")
        let other = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let socket = Self.socketPath()
        try await Self.withAgent(for: other, socket: socket) { operations in
            // An agent that answers with an error is that error, not a silent direct run.
            let refused = try await Self.run(host, ["attach", "b", "--network", "prod", "--no-program", "--agent-socket", socket])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("sriovctl: the agent works on \(other.db)"), "\(refused.stderr)")
            let forced = try await Self.run(host, ["attach", "b", "--network", "prod", "--no-program", "--agent-socket", socket, "--direct"])
            #expect(forced.status == 0, "\(forced.stderr)")
            #expect(operations.calls.withLockedValue { $0 } == 0)
        }
        #expect(try await host.leases().count == 2)
        #expect(try await other.leases().isEmpty)
    }
}
