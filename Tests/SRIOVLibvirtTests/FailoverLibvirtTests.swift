import SRIOVCore
import SRIOVLibvirt
import Testing

/// The failover pair of `attach --failover` (issue 16) against libvirt's schema and a real
/// libvirtd: a stopped guest takes both halves with `--config` and keeps them.
@Suite("Failover pair XML against libvirt")
struct FailoverLibvirtTests {
    static let interface = GuestInterface(mac: MACAddress("52:54:00:6d:91:07")!, vfPCIAddress: PCIAddress("0000:7e:11.0")!,
                                          vlan: PortVLAN(id: 42))

    @Test("both halves, on a network and on a bridge, validate inside a domain (virt-xml-validate)",
          .enabled(if: LibvirtTestSupport.virtXMLValidate != nil, "virt-xml-validate is not installed (apt-get install libvirt-clients)"),
          arguments: [FailoverPath.network("default"), .bridge("br0")])
    func validates(_ path: FailoverPath) async throws {
        let pair = try LibvirtFailoverXML.renderBoth(Self.interface, pair: FailoverPair(path: path, network: "prod", slot: 0))
        let xml = LibvirtTestSupport.domainXML(name: "schema-check", devices: pair)
        let (status, output) = try await RenderedXMLSchemaTests.validate(xml)
        #expect(status == 0, "virt-xml-validate said: \(output)\n\(xml)")
    }

    @Test("a stopped guest in qemu:///system takes the pair with --config and reads back both teaming elements and one MAC",
          .enabled(if: LibvirtTestSupport.qemuSystemReachable, LibvirtTestSupport.qemuSystemSkipReason))
    func definesOnStoppedGuest() throws {
        let domains = try LibvirtGuestDomains()
        let name = LibvirtTestSupport.uniqueGuestName()
        try domains.defineGuest(xml: LibvirtTestSupport.domainXML(name: name, type: "qemu"))
        defer { try? domains.undefineGuest(named: name) }
        let pair = FailoverPair(path: .network("default"), network: "prod", slot: 0)
        let rendered = try LibvirtFailoverXML.render(Self.interface, pair: pair)
        try domains.attachDevice(xml: rendered.virtio, to: name, scope: .config)
        try domains.attachDevice(xml: rendered.hostdev, to: name, scope: .config)

        let xml = try domains.domainXML(of: name, persistent: true)
        #expect(xml.contains("<teaming type='persistent'/>"), "\(xml)")
        #expect(xml.contains("<teaming type='transient' persistent='ua-sriov-prod-0'/>"), "\(xml)")
        #expect(xml.contains("<alias name='ua-sriov-prod-0'/>"), "\(xml)")
        let parsed = try DomainXMLParser.parse(xml)
        #expect(parsed.hostdevInterfaces.map(\.mac) == [Self.interface.mac])
        #expect(parsed.otherInterfaceMACs == [Self.interface.mac])
        let macs = xml.split(separator: "<mac address='").dropFirst().map { $0.prefix(17) }
        #expect(Set(macs) == [Substring(Self.interface.mac.description)], "one MAC on both halves")
        #expect(try domains.guest(named: name)?.otherInterfaceMACs == [Self.interface.mac])
    }
}
