import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// `sriovctl audit` against libvirt's test driver: a node file (`test:///path/node.xml`) defines
/// running guests with hostdev interfaces, read through the real libvirt adapter in the binary.
@Suite("sriovctl audit with libvirt (test driver)")
struct AuditLibvirtTests {
    /// A libvirt test-driver node file with `guests` (name → hostdev interfaces).
    static func nodeXML(_ guests: [(name: String, interfaces: [GuestInterface])], uuids: [String: String] = [:]) -> String {
        var xml = "<node>\n"
        for guest in guests {
            xml += "<domain type='test'><name>\(guest.name)</name><memory>65536</memory>"
            if let uuid = uuids[guest.name] { xml += "<uuid>\(uuid)</uuid>" }
            xml += "<os><type arch='x86_64'>hvm</type></os><devices>"
            for interface in guest.interfaces {
                xml += "<interface type='hostdev' managed='yes'><mac address='\(interface.mac)'/>"
                if let pci = interface.vfPCIAddress {
                    xml += "<source><address type='pci' domain='0x\(String(pci.domain, radix: 16))' "
                        + "bus='0x\(String(pci.bus, radix: 16))' slot='0x\(String(pci.slot, radix: 16))' "
                        + "function='0x\(String(pci.function, radix: 16))'/></source>"
                }
                xml += "</interface>"
            }
            xml += "</devices></domain>\n"
        }
        return xml + "</node>\n"
    }

    @Test("A running guest using a VF sriovctl never assigned: orphan-guest-interface (error), exit 1")
    func orphanInterface() async throws {
        let fixture = try HostFixtures.intel82576()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-lv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = dir + "/node.xml"
        let mac = MACAddress("52:54:00:aa:00:01")!
        try Self.nodeXML([("rogue", [GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.2"))]),
                          ("idle", [])]).write(toFile: node, atomically: true, encoding: .utf8)
        let result = try await SriovctlProcess.run(["audit", "--sysfs-root", fixture.root, "--db", dir + "/state.db",
                                              "--config-file", dir + "/none.yaml", "--no-netlink",
                                              "--connect", "test://" + node, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try AuditReportJSON.decode(result.stdout)
        #expect(report.hosts[0].libvirtChecked)
        #expect(report.findings.map(\.rule) == [.orphanGuestInterface])
        #expect(report.findings[0].severity == .error)
        #expect(report.findings[0].message == "guest rogue has a hostdev interface (MAC 52:54:00:aa:00:01) on eth0 VF 1 "
                + "(0000:0b:10.2), free for sriovctl, which may hand it to another guest")
        #expect(report.findings[0].fix.map(\.commandLine) == [
            "virsh -c test://\(node) detach-interface --domain rogue --type hostdev --mac 52:54:00:aa:00:01 --config --live",
        ])
        #expect(report.hosts[0].inventory.guests.map(\.name) == ["idle", "rogue"])
        #expect(report.hosts[0].inventory.guests.allSatisfy { $0.state == .running })
        #expect(report.hosts[0].inventory.pfs[0].vfs[1].status == .unknown)
    }
}

extension AuditLibvirtTests {
    /// The 82576 fixture, a temp directory with `config.yaml` (``config``), and the options
    /// that point sriovctl at them and at `state.db` there.
    struct Workspace {
        let fixture: SysfsFixture
        let dir: String
        var common: [String] {
            ["--sysfs-root", fixture.root, "--db", dir + "/state.db", "--config-file", dir + "/config.yaml"]
        }

        init() throws {
            fixture = try HostFixtures.intel82576()
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-lv-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try AuditLibvirtTests.config.write(toFile: dir + "/config.yaml", atomically: true, encoding: .utf8)
        }

        func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
    }

    static let config = """
        networks:
          - name: prod
            pfs: [eth0]
            vlan: 100
            exclude_vfs: { eth0: [0] }
        mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
        """

    @Test("Database against libvirt: orphan assignment and lease, orphan interface, mismatched MAC and source")
    func orphansAndMismatches() async throws {
        let workspace = try Workspace()
        defer { workspace.cleanup() }
        let (dir, common) = (workspace.dir, workspace.common)
        func sriovctl(_ arguments: [String]) async throws -> SriovctlProcess.Result {
            let result = try await SriovctlProcess.run(arguments + common)
            #expect(result.status == 0, "sriovctl \(arguments): \(result.stderr)")
            return result
        }
        // eth0 VF n is 0000:0b:1x.y with function 2n (VF 0 excluded): web1 VF 1 (0b:10.2),
        // db1 VF 2 (0b:10.4), gone1 VF 3 (0b:10.6), src1 VF 4 (0b:11.0); MACs 02:5a:00:00:00:00...
        for guest in ["web1", "db1", "gone1", "src1", "old1"] {
            _ = try await sriovctl(["attach", guest, "--network", "prod", "--no-program"])
        }
        _ = try await sriovctl(["detach", "old1", "--network", "prod", "--no-program"])  // lease kept, no VF

        let node = dir + "/node.xml"
        func iface(_ mac: String, _ pci: String) -> GuestInterface {
            GuestInterface(mac: MACAddress(mac)!, vfPCIAddress: PCIAddress(pci))
        }
        try Self.nodeXML([
            ("web1", [iface("02:5a:00:00:00:00", "0000:0b:10.2")]),   // agrees
            ("db1", [iface("02:5a:00:00:00:55", "0000:0b:10.4")]),    // another <mac> on its VF
            ("src1", [iface("02:5a:00:00:00:03", "0000:0b:10.1")]),   // its MAC on another <source>
            ("rogue", [iface("52:54:00:aa:00:01", "0000:0b:11.2")]),  // eth0 VF 5, never assigned
        ]).write(toFile: node, atomically: true, encoding: .utf8)

        let result = try await SriovctlProcess.run(["audit", "--no-netlink", "--connect", "test://" + node,
                                              "--format", "json", "--host-name", "h"] + common)
        #expect(result.status == 1, "\(result.stderr)")
        let report = try AuditReportJSON.decode(result.stdout)
        #expect(report.findings.map { "\($0.severity) \($0.rule.rawValue)" } == [
            "error mismatch-mac", "error mismatch-source", "error orphan-assignment", "error orphan-guest-interface",
            "warning orphan-lease",
        ])
        let messages = report.findings.map(\.message)
        #expect(messages[0] == "guest db1 defines MAC 02:5a:00:00:00:55 on eth0 VF 2 (0000:0b:10.4), "
                + "but its lease on prod has 02:5a:00:00:00:01")
        #expect(messages[1] == "guest src1 uses MAC 02:5a:00:00:00:03 on source 0000:0b:10.1, "
                + "but its lease on prod holds eth0 VF 4 (0000:0b:11.0)")
        #expect(messages[2] == "eth0 VF 3 is assigned to guest gone1 (prod), which libvirt does not know")
        #expect(messages[3] == "guest rogue has a hostdev interface (MAC 52:54:00:aa:00:01) on eth0 VF 5 "
                + "(0000:0b:11.2), free for sriovctl, which may hand it to another guest")
        #expect(messages[4] == "MAC 02:5a:00:00:00:04 is leased to guest old1 (prod), which libvirt does not know")
        #expect(report.findings[2].fix.map(\.commandLine) == ["sriovctl detach gone1 --network prod --forget"])
        #expect(report.findings[0].fix.map(\.commandLine) == [
            "virsh -c test://\(node) detach-interface --domain db1 --type hostdev --mac 02:5a:00:00:00:55 --config --live",
            "sriovctl attach db1 --network prod --apply --connect test://\(node)",
        ])
        let guests = Dictionary(uniqueKeysWithValues: report.hosts[0].inventory.guests.map { ($0.name, $0.state) })
        #expect(guests == ["db1": .running, "gone1": .undefined, "old1": .undefined, "rogue": .running,
                           "src1": .running, "web1": .running])

        // The same database without libvirt: those checks are skipped, the audit is clean.
        let skipped = try await SriovctlProcess.run(["audit", "--no-netlink", "--no-libvirt"] + common)
        #expect(skipped.status == 0, "\(skipped.stdout)")
    }
}

extension AuditLibvirtTests {
    @Test("A guest renamed in libvirt: a rename warning instead of orphans, and its suggested command records the new name with the same MAC")
    func renamedGuest() async throws {
        let workspace = try Workspace()
        defer { workspace.cleanup() }
        let (dir, common) = (workspace.dir, workspace.common)
        let uuid = "6f1c0d2e-0000-4000-8000-00000000abcd"
        let attach = try await SriovctlProcess.run(["attach", "web1", "--network", "prod", "--uuid", uuid, "--no-program"] + common)
        #expect(attach.status == 0, "\(attach.stderr)")
        // web1 is VF 1 of eth0 (0000:0b:10.2) with the first pool MAC; libvirt now calls it www.
        let node = dir + "/node.xml"
        try Self.nodeXML([("www", [GuestInterface(mac: MACAddress("02:5a:00:00:00:00")!,
                                                  vfPCIAddress: PCIAddress("0000:0b:10.2"))])],
                         uuids: ["www": uuid]).write(toFile: node, atomically: true, encoding: .utf8)
        let audit = ["audit", "--no-netlink", "--connect", "test://" + node, "--format", "json"] + common

        let before = try await SriovctlProcess.run(audit)
        #expect(before.status == 1, "\(before.stderr)")
        let report = try AuditReportJSON.decode(before.stdout)
        #expect(report.findings.map { "\($0.severity) \($0.rule.rawValue)" } == ["warning mismatch-guest-renamed"])
        let fix = try #require(report.findings.first?.fix.first)
        #expect(fix.commandLine == "sriovctl attach www --network prod --uuid \(uuid)")

        // Run the suggested command as the operator would (no --apply: the guest already has it).
        let rename = try await SriovctlProcess.run(Array(fix.argv.dropFirst()) + ["--no-program", "--format", "json"] + common)
        #expect(rename.status == 0, "\(rename.stderr)")
        let after = try await SriovctlProcess.run(audit)
        #expect(after.status == 0, "\(after.stdout)")
        let leases = try await SriovctlProcess.run(["leases", "--json"] + common)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(leases.stdout.utf8)) as? [String: Any])
        let rows = try #require(json["leases"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["guest"] as? String == "www")
        #expect(rows.first?["mac"] as? String == "02:5a:00:00:00:00")
        #expect(rows.first?["vfPciAddress"] as? String == "0000:0b:10.2")
    }
}

/// Decodes `audit --format json` output.
enum AuditReportJSON {
    static func decode(_ text: String) throws -> AuditReport {
        try JSONDecoder().decode(AuditReport.self, from: Data(text.utf8))
    }
}
