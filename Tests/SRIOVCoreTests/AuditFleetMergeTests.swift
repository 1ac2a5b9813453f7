import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

@Suite("Audit fleet merge")
struct AuditFleetMergeTests {
    typealias S = AuditSnapshots

    /// A report as another host would have written it: through JSON and back.
    func viaJSON(_ report: AuditReport) throws -> AuditReport {
        let data = try JSONEncoder().encode(report)
        return try JSONDecoder().decode(AuditReport.self, from: data)
    }

    func host(_ name: String, _ change: (inout AuditInput) -> Void = { _ in }) throws -> AuditFleetMerge.Source {
        var input = S.cleanHost()
        input.hostName = name
        change(&input)
        return AuditFleetMerge.Source(name: "\(name).json", report: try viaJSON(AuditEngine.audit(input)))
    }

    /// Gives host02 its own MACs so that only what a test adds is shared.
    func distinctMACs(_ input: inout AuditInput) {
        for i in input.leases.indices { input.leases[i].mac = S.poolMAC(0x100 + i + 1) }
        for i in input.assignments.indices { input.assignments[i].settings.mac = S.poolMAC(0x100 + i + 1) }
        for i in 0..<2 { input.pfs[0].vfs[i].live!.mac = S.poolMAC(0x100 + i + 1) }
        for i in 0..<2 { input.guests![i].hostdevInterfaces[0].mac = S.poolMAC(0x100 + i + 1) }
        input.hostInterfaces[0].mac = MACAddress("00:1b:21:aa:bb:01")!
    }

    @Test("A report survives JSON unchanged (what --merge reads is what --format json wrote)")
    func roundTrip() throws {
        var input = S.showcase()
        input.pfs[0].readError = "netlink: no such device"
        let report = AuditEngine.audit(input, generatedAt: "2026-01-01T00:00:00Z", generator: "sriovctl 0.1.0")
        #expect(try viaJSON(report) == report)
    }

    @Test("Two clean hosts with their own MACs merge clean, hosts sorted")
    func cleanFleet() throws {
        let merged = try AuditFleetMerge.merge([try host("host02", distinctMACs), try host("host01")], generator: "t")
        #expect(merged.host == nil)
        #expect(merged.hosts.map(\.host) == ["host01", "host02"])
        #expect(merged.findings.isEmpty)
    }

    @Test("The same leased MAC on two hosts is a cross-host duplicate; live on one host, release on the other")
    func sameMACTwoHosts() throws {
        // host02 keeps a lease for web1 (moved to host01) with its old MAC, without a VF.
        let merged = try AuditFleetMerge.merge([try host("host01"), try host("host02") { input in
            distinctMACs(&input)
            input.leases.append(LeaseRecord(key: LeaseKey(guest: "web1-old", network: "prod"), mac: S.poolMAC(1)))
            input.guests!.append(GuestDefinition(name: "web1-old", uuid: "u", isActive: false, hostdevInterfaces: []))
        }], generator: "t")
        #expect(merged.findings.map(\.rule) == [.duplicateMACAcrossHosts])
        let finding = merged.findings[0]
        #expect(finding.severity == .error)
        #expect(finding.hosts == ["host01", "host02"])
        #expect(finding.message.hasPrefix("MAC 02:5a:00:00:00:01 is on 2 hosts: host01 (lease web1 on prod slot 0, eth0 VF 0 (guest web1), "))
        #expect(finding.message.hasSuffix("it is live on host01: run the fix on host02"))
        #expect(finding.fix.map(\.commandLine) == ["sriovctl detach web1-old --network prod --forget --apply"])
    }

    @Test("The same MAC live on VFs of two hosts is critical")
    func liveOnTwoHosts() throws {
        let merged = try AuditFleetMerge.merge([try host("a"), try host("b")], generator: "t")
        // Every guest MAC of the clean host is on both: web1's and db1's are live on VFs.
        #expect(merged.findings.map(\.severity) == [.critical, .critical, .error])
        #expect(merged.findings.allSatisfy { $0.rule == .duplicateMACAcrossHosts })
    }

    @Test("Host findings are kept, tagged with their host; merging a merged report does not repeat cross-host findings")
    func remerge() throws {
        let a = try host("a") { $0.pfs[0].vfs[6].live!.mac = MACAddress("52:54:00:12:34:56")! }
        let b = try host("b", distinctMACs)
        let merged = try AuditFleetMerge.merge([a, b], generator: "t")
        #expect(merged.findings.map(\.rule) == [.staleMAC])
        #expect(merged.findings[0].hosts == ["a"])
        let again = try AuditFleetMerge.merge([AuditFleetMerge.Source(name: "fleet.json", report: try viaJSON(merged))],
                                              generator: "t")
        #expect(again.findings == merged.findings)
    }

    @Test("One host's report merged alone is that report again, so a saved JSON report can be re-rendered")
    func single() throws {
        let source = try host("host01") { $0.pfs[0].vfs[6].live!.mac = MACAddress("52:54:00:12:34:56")! }
        let merged = try AuditFleetMerge.merge([source], generator: source.report.generator)
        #expect(merged == source.report)
    }

    @Test("A host in two files is refused, naming both files")
    func duplicateHost() throws {
        #expect(throws: SRIOVError(.invalidValue, "host01.json: host host01 is already in host01.json")) {
            try AuditFleetMerge.merge([try host("host01"), try host("host01")], generator: "t")
        }
    }

    @Test("A report from a newer schema is refused")
    func newerSchema() throws {
        var source = try host("h")
        source.report.schemaVersion = 99
        #expect(throws: SRIOVError.self) { try AuditFleetMerge.merge([source], generator: "t") }
    }
}
