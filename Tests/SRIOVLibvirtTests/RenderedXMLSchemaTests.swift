import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// The XML `sriovctl attach` prints must be valid for libvirt's own schema (virt-xml-validate).
@Suite("Rendered interface XML against libvirt's schema",
       .enabled(if: LibvirtTestSupport.virtXMLValidate != nil,
                "virt-xml-validate is not installed (apt-get install libvirt-clients)"))
struct RenderedXMLSchemaTests {
    static let interfaces: [GuestInterface] = [
        GuestInterface(mac: MACAddress("52:54:00:6d:90:02")!, vfPCIAddress: PCIAddress("0000:0b:10.0")!,
                       vlan: PortVLAN(id: 42)),
        GuestInterface(mac: MACAddress("52:54:00:6d:90:02")!, vfPCIAddress: PCIAddress("0000:0b:10.0")!),
        GuestInterface(mac: MACAddress("52:54:00:6d:90:02")!, vfPCIAddress: PCIAddress("0000:0b:10.0")!,
                       vlan: PortVLAN(id: 7, qos: 3, proto: .ieee8021AD)),
        GuestInterface(mac: MACAddress("52:54:00:6d:90:02")!, vfPCIAddress: PCIAddress("0001:82:1f.7")!,
                       virtualPort: VirtualPort(profileID: "finance-vm.1")),
    ]

    @Test("each rendered interface, inside a minimal domain, validates", arguments: interfaces)
    func validates(_ interface: GuestInterface) async throws {
        let xml = LibvirtTestSupport.domainXML(name: "schema-check", devices: try LibvirtInterfaceXML.render(interface))
        let (status, output) = try await Self.validate(xml)
        #expect(status == 0, "virt-xml-validate said: \(output)\n\(xml)")
        #expect(output.contains("validates"))
    }

    @Test("the check itself rejects what libvirt's schema rejects (<vlan trunk='no'>)")
    func checkerRejects() async throws {
        let bad = try LibvirtInterfaceXML.render(Self.interfaces[0]).replacingOccurrences(of: "<vlan>", with: "<vlan trunk='no'>")
        let (status, _) = try await Self.validate(LibvirtTestSupport.domainXML(name: "schema-check", devices: bad))
        #expect(status != 0)
    }

    /// Runs virt-xml-validate on `xml` written to a private temporary file.
    static func validate(_ xml: String) async throws -> (Int32, String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sriovctl-schema-\(UInt64.random(in: .min ... .max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("domain.xml")
        try Data(xml.utf8).write(to: file)
        let result = try await ChildProcess.run(try #require(LibvirtTestSupport.virtXMLValidate).path, [file.path])
        return (result.status, result.stdout + result.stderr)
    }
}
