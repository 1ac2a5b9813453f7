import Foundation
import SRIOVTesting
import Testing

/// NUMA placement as a user sees it (issue 16): `list` and `leases` show the node; `attach
/// --numa-node` picks a local VF; `numa: required` refuses naming the nodes with free VFs.
@Suite("sriovctl placement: list, attach --numa-node, leases")
struct PlacementCommandTests {
    static let config = """
        networks:
          - name: prod
            pfs: ["ens1f0#0", "ens2f0#0"]
          - name: strict
            pfs: ["ens1f0#1", "pci:0000:af:00.0#1-1"]
            numa: required
        mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
        """

    @Test("list shows each PF's NUMA node, 'unknown' for -1")
    func list() async throws {
        let fixture = try HostFixtures.twoNodes()
        let result = try await SriovctlProcess.run(["list", "--no-netlink", "--sysfs-root", fixture.root])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix("NUMA"))
        #expect(lines.first { $0.hasPrefix("ens1f0") }?.hasSuffix(" 0") == true)
        #expect(lines.first { $0.hasPrefix("ens2f0") }?.hasSuffix(" 1") == true)
        #expect(lines.first { $0.hasPrefix("ens3f0") }?.hasSuffix(" unknown") == true)
    }

    @Test("attach --numa-node 1 gets a node-1 VF and leases shows node 1; required refuses node 0 naming node 1")
    func attachByNode() async throws {
        let host = try AttachCommandTests.Host(try HostFixtures.twoNodes(), config: Self.config)
        let local = try host.json(try await host.attach("web1", ["--network", "prod", "--numa-node", "1", "--format", "json"]))
        #expect((local["pf"] as? [String: Any])?["netdev"] as? String == "ens2f0")
        let leases = try await host.leases()
        #expect(leases.first?["numaNode"] as? Int == 1)
        let table = try await host.run(["leases"])
        #expect(table.stdout.split(separator: "\n").first?.hasSuffix("NUMA") == true)

        _ = try host.json(try await host.attach("db1", ["--network", "strict", "--numa-node", "0", "--format", "json"]))
        let refused = try await host.attach("db2", ["--network", "strict", "--numa-node", "0", "--format", "json"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("no free VF for db2 on strict on NUMA node 0 (numa: required; the guest's node from --numa-node 0); free VFs are on NUMA node 1 (1 free)"),
                "\(refused.stderr)")
        let bad = try await host.attach("db3", ["--network", "strict", "--numa-node", "+1"])
        #expect(bad.status != 0 && bad.stderr.contains("--numa-node"))
    }
}
