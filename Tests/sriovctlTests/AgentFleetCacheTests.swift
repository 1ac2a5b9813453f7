import Foundation
import Logging
import SRIOVCore
import SRIOVStorePostgres
import SRIOVTesting
import Testing
@testable import sriovctl

/// The agent on a fleet host while PostgreSQL is down: its pass repairs from this host's
/// cache (a PF reset healed with the server down), and it tries the server again with backoff.
@Suite("agent: a fleet host with PostgreSQL down",
       .enabled(if: PostgresTestCluster.unavailableReason == nil, Comment(rawValue: PostgresTestCluster.unavailableReason ?? "")))
struct AgentFleetCacheTests {
    @Test("a leased VF that lost its MAC is repaired from the cache; the next pass does not wait for the server again")
    func healsFromCache() async throws {
        let cluster = try PostgresTestCluster.start()
        defer { try? cluster.stop() }
        let target = try cluster.createDatabase()
        let host = try FleetAttachTests.SimulatedHost(number: 9, target: target, vfs: 4)
        let attached = try await SriovctlProcess.run(host.attachArguments("web1"))
        #expect(attached.status == 0, "\(attached.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(attached.stdout.utf8)) as? [String: Any])
        let index = try #require(json["vfIndex"] as? Int)
        let macText = try #require(json["mac"] as? String)
        let mac = try #require(MACAddress(macText))

        try cluster.stopServer()
        // A PF reset: every VF came back without its MAC.
        let kernel = FakeVFLinkControl(pfs: [PFLinkStatus(ifindex: 10, name: "eni10np1", numVFs: 4,
                                                          vfs: (0..<4).map { VFState(index: $0) })])
        let options = try GlobalOptions.parse(["--sysfs-root", host.sysfs.root, "--config-file", host.configPath])
        let services = HostServices(options: options, label: "test", linkControl: kernel)
        #expect(services.fleet != nil)
        let runtime = AgentRuntime(options: options, config: try services.loadConfig())
        let pass = AgentPass(services: services, config: runtime.config, logger: Logger(label: "test"),
                             statistics: runtime.statistics, now: { 0 })
        var flapGuard = FlapGuard(maxRepairs: 100, windowMilliseconds: 60_000, holdOffMilliseconds: 60_000)

        let healed = pass.run(.everyPF, trigger: .event, flapGuard: &flapGuard)
        #expect(healed.succeeded, "\(healed.failures)")
        #expect(kernel.vf("eni10np1", index)?.mac == mac, "web1's MAC is back from the cache")

        // The server was just found down: the next pass goes to the cache without trying it.
        let fleet = try #require(services.fleet)
        let waiting = try #require(PostgresReconnectBackoff.shared.remainingWait(for: fleet.target))
        #expect(waiting > .zero)
        kernel.recreateVFs("eni10np1", count: 4)
        let again = pass.run(.everyPF, trigger: .event, flapGuard: &flapGuard)
        #expect(again.succeeded, "\(again.failures)")
        #expect(kernel.vf("eni10np1", index)?.mac == mac)
    }
}
