import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// `sriovctl audit` against libvirt's test driver: a node file (`test:///path/node.xml`) defines
/// running guests with hostdev interfaces, read through the real libvirt adapter in the binary.
@Suite("sriovctl audit with libvirt (test driver)")
struct AuditLibvirtTests {
    /// A libvirt test-driver node file with `guests` (name → hostdev interfaces).
    static func nodeXML(_ guests: [(name: String, interfaces: [GuestInterface])]) -> String {
        var xml = "<node>\n"
        for guest in guests {
            xml += "<domain type='test'><name>\(guest.name)</name><memory>65536</memory>"
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
    func orphanInterface() throws {
        let fixture = try HostFixtures.intel82576()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-lv-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let node = dir + "/node.xml"
        let mac = MACAddress("52:54:00:aa:00:01")!
        try Self.nodeXML([("rogue", [GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.2"))]),
                          ("idle", [])]).write(toFile: node, atomically: true, encoding: .utf8)
        let result = try SriovctlProcess.run(["audit", "--sysfs-root", fixture.root, "--db", dir + "/state.db",
                                              "--config", dir + "/none.yaml", "--no-netlink",
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

/// Decodes `audit --format json` output.
enum AuditReportJSON {
    static func decode(_ text: String) throws -> AuditReport {
        try JSONDecoder().decode(AuditReport.self, from: Data(text.utf8))
    }
}
