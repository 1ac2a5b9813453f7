import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// A guest owner's XML that crashed Foundation's XMLParser (found by FuzzDomainXML,
/// docs/fuzzing.md), through the built binary and libvirt's own parser: libvirt keeps a
/// processing instruction without data inside `<metadata>` and hands it back in the XML.
@Suite("sriovctl audit with hostile domain XML (test driver)")
struct AuditHostileDomainXMLTests {
    @Test("A guest whose <metadata> holds <?a?> is reported, naming the guest; audit no longer dies with SIGSEGV")
    func instructionWithoutDataInMetadata() async throws {
        let fixture = try HostFixtures.intel82576()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-pi-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = dir + "/node.xml"
        try """
            <node>
            <domain type='test'><name>pi</name><memory>65536</memory><os><type arch='x86_64'>hvm</type></os>
            <metadata><app:x xmlns:app='http://example.org/x'><?a?></app:x></metadata><devices/></domain>
            </node>
            """.write(toFile: node, atomically: true, encoding: .utf8)
        let result = try await SriovctlProcess.run(["audit", "--sysfs-root", fixture.root, "--db", dir + "/state.db",
                                              "--config-file", dir + "/none.yaml", "--no-netlink",
                                              "--connect", "test://" + node, "--format", "json"])
        // Before the fix: killed by SIGSEGV (strlen(NULL) inside FoundationXML), no report at all.
        #expect([0, 1].contains(result.status), "\(result.status): \(result.stderr)")
        let report = try AuditReportJSON.decode(result.stdout)
        let notice = report.hosts[0].notices.first { $0.hasPrefix("libvirt:") } ?? ""
        #expect(notice.contains("pi"), "\(report.hosts[0].notices)")
        #expect(notice.contains("a processing instruction without data (<?a?>)"), "\(notice)")
    }
}
