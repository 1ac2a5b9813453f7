import Foundation
import Logging
import SRIOVAgentAPI
import SRIOVConfigFile
import SRIOVCore
import SRIOVTesting
import ServiceLifecycle
import Testing
@testable import sriovctl

/// `sriovctl_vfs{pf,state}` as a client reads it on the agent's socket: the agent's own pass
/// (``AgentPass``, on a sysfs fixture and an in-memory kernel) counts a PF's VFs, and its
/// API server (``AgentAPIServer`` with ``AgentRuntimeMetrics``, as `sriovctl agent` wires
/// them) answers them on `GET /metrics`.
@Suite("agent: VFs per PF by state on GET /metrics")
struct AgentVFStatesMetricsTests {
    static let config = "pfs:\n  - netdev: eni10np1\n    num_vfs: 4\nnetworks:\n  - name: prod\n    pfs: [eni10np1]\n"

    /// `GET /metrics` on `socket`, the `sriovctl_vfs` samples of `pf` by state.
    static func vfStates(_ socket: String, pf: String) throws -> [String: String] {
        guard case .answered(let status, let body) = try AgentClient(socketPath: socket).send("GET", "/metrics") else {
            Issue.record("nobody answered on \(socket)")
            return [:]
        }
        #expect(status == 200)
        var states: [String: String] = [:]
        for line in String(decoding: body, as: UTF8.self).split(separator: "\n")
        where line.hasPrefix("sriovctl_vfs{pf=\"\(pf)\",state=\"") {
            let state = line.split(separator: "\"")[3]
            states[String(state)] = String(line.split(separator: " ").last ?? "")
        }
        return states
    }

    @Test("after each pass: a leased VF is assigned, drifted until repaired; a free VF with a foreign MAC is stale until reset")
    func statesAfterPasses() async throws {
        let host = try AttachCommandTests.Host(try HostFixtures.netdevsim(numVFs: 4), config: Self.config)
        let attached = try host.json(try await host.attach("web1", ["--network", "prod", "--format", "json"]))
        let leased = try #require(attached["vfIndex"] as? Int)
        let macText = try #require(attached["mac"] as? String)
        let mac = try #require(MACAddress(macText))
        let free = leased == 3 ? 2 : 3
        // The kernel: web1's VF lost its MAC to someone else's, a free VF carries a foreign MAC.
        var vfs = (0..<4).map { VFState(index: $0) }
        vfs[leased].mac = try #require(MACAddress("02:00:00:00:00:99"))
        vfs[free].mac = try #require(MACAddress("52:54:00:12:34:56"))
        let kernel = FakeVFLinkControl(pfs: [PFLinkStatus(ifindex: 10, name: "eni10np1", numVFs: 4, vfs: vfs)])

        var options = GlobalOptions()
        options.sysfsRoot = host.sysfs.root
        options.dbOption = host.db
        options.configFile = host.configPath
        let runtime = AgentRuntime(options: options, config: try ConfigFileLoader.load(path: host.configPath))
        let pass = AgentPass(services: HostServices(options: options, label: "test", linkControl: kernel),
                             config: runtime.config, logger: Logger(label: "test"), statistics: runtime.statistics,
                             now: { 0 })
        var flapGuard = FlapGuard(maxRepairs: 100, windowMilliseconds: 60_000, holdOffMilliseconds: 60_000)

        let socket = AgentModeCommandTests.socketPath()
        let (ready, continuation) = AsyncStream<Void>.makeStream()
        let server = AgentAPIServer(configuration: AgentAPIConfiguration(socketPath: socket),
                                    operations: CommandAgentOperations(sysfsRoot: options.sysfsRoot, database: options.db,
                                                                       configFile: options.configFile),
                                    metricsSource: AgentRuntimeMetrics(runtime: runtime), logger: Logger(label: "test"),
                                    onReady: { _ in continuation.yield() })
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let task = Task { try await group.run() }
        defer { task.cancel() }
        for await _ in ready { break }

        #expect(try Self.vfStates(socket, pf: "netdevsim10").isEmpty, "no samples before the first pass")

        // The kernel refuses every change: the pass repairs nothing, and says what it saw.
        kernel.inject(.init(netdev: "eni10np1", errno: EPERM))
        let refused = pass.run(.everyPF, trigger: .startup, flapGuard: &flapGuard)
        #expect(!refused.succeeded)
        #expect(try Self.vfStates(socket, pf: "netdevsim10")
                == ["assigned": "1", "free": "3", "stale": "1", "drifted": "1"])

        // The kernel takes them: both repaired, nothing stale or drifted any more.
        kernel.clearFailures()
        let repaired = pass.run(.everyPF, trigger: .timer, flapGuard: &flapGuard)
        #expect(repaired.succeeded, "\(repaired.failures)")
        #expect(kernel.vf("eni10np1", leased)?.mac == mac)
        #expect(kernel.vf("eni10np1", free)?.mac.isUnsetOrPlaceholder == true)
        #expect(try Self.vfStates(socket, pf: "netdevsim10")
                == ["assigned": "1", "free": "3", "stale": "0", "drifted": "0"])

        await group.triggerGracefulShutdown()
        try await task.value
    }
}
