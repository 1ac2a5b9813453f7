import SRIOVCore
import SRIOVLibvirt
import Testing

/// Audit and detach read a guest's VFs from its domain XML through this parser.
@Suite("Domain XML parser")
struct DomainXMLParserTests {
    /// Shaped like `virsh dumpxml` of a running guest: two hostdev interfaces, a bridge
    /// interface, a plain PCI hostdev, and the guest-side <address> on each interface.
    let dumped = """
        <domain type='kvm' id='3'>
          <name>web1</name>
          <uuid>c1c12e9d-26e0-40ec-a6d8-a16dc7210983</uuid>
          <memory unit='KiB'>65536</memory>
          <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type></os>
          <devices>
            <interface type='bridge'>
              <mac address='52:54:00:00:00:01'/>
              <source bridge='br0'/>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x0'/>
            </interface>
            <interface type='hostdev' managed='yes'>
              <mac address='52:54:00:6D:90:02'/>
              <source>
                <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>
              </source>
              <vlan>
                <tag id='42'/>
              </vlan>
              <address type='pci' domain='0x0000' bus='0x00' slot='0x04' function='0x0'/>
            </interface>
            <interface type='hostdev'>
              <mac address='52:54:00:6d:90:03'/>
              <source>
                <address type='pci' domain='0x0001' bus='0x82' slot='0x00' function='0x7'/>
              </source>
              <virtualport type='802.1Qbh'>
                <parameters profileid='fin&amp;ops'/>
              </virtualport>
            </interface>
            <hostdev mode='subsystem' type='pci' managed='yes'>
              <source>
                <address domain='0x0000' bus='0x0c' slot='0x00' function='0x0'/>
              </source>
            </hostdev>
          </devices>
        </domain>
        """

    @Test("reads name, UUID and each hostdev interface's MAC, PCI source, VLAN and profile id")
    func hostdevInterfaces() throws {
        let parsed = try DomainXMLParser.parse(dumped)
        #expect(parsed.name == "web1")
        #expect(parsed.uuid == "c1c12e9d-26e0-40ec-a6d8-a16dc7210983")
        #expect(parsed.hostdevInterfaces == [
            GuestInterface(mac: MACAddress("52:54:00:6d:90:02")!, vfPCIAddress: PCIAddress("0000:0b:10.0")!,
                           vlan: PortVLAN(id: 42)),
            GuestInterface(mac: MACAddress("52:54:00:6d:90:03")!, vfPCIAddress: PCIAddress("0001:82:00.7")!,
                           virtualPort: VirtualPort(profileID: "fin&ops")),
        ])
    }

    @Test("what LibvirtInterfaceXML renders reads back as the same interface")
    func roundTrip() throws {
        let interfaces = [
            GuestInterface(mac: MACAddress("52:54:00:6d:90:02")!, vfPCIAddress: PCIAddress("0000:0b:10.0")!,
                           vlan: PortVLAN(id: 4095)),
            GuestInterface(mac: MACAddress("02:00:00:00:00:01")!, vfPCIAddress: PCIAddress("ffff:ff:1f.7")!),
            GuestInterface(mac: MACAddress("52:54:00:6d:90:04")!, vfPCIAddress: PCIAddress("0000:0b:10.1")!,
                           virtualPort: VirtualPort(profileID: "a b/c:d@e")),
        ]
        let devices = try interfaces.map { try LibvirtInterfaceXML.render($0) }.joined()
        let parsed = try DomainXMLParser.parse(LibvirtTestSupport.domainXML(name: "rt", devices: devices))
        #expect(parsed.hostdevInterfaces == interfaces)
    }

    @Test("a guest without hostdev interfaces has none; decimal PCI numbers are read too")
    func noneAndDecimal() throws {
        #expect(try DomainXMLParser.parse(LibvirtTestSupport.domainXML(name: "empty")).hostdevInterfaces == [])
        let devices = """
            <interface type='hostdev'><mac address='52:54:00:00:00:09'/>
            <source><address type='pci' domain='0' bus='11' slot='16' function='1'/></source></interface>
            """
        let parsed = try DomainXMLParser.parse(LibvirtTestSupport.domainXML(name: "dec", devices: devices))
        #expect(parsed.hostdevInterfaces.first?.vfPCIAddress == PCIAddress("0000:0b:10.1"))
    }

    @Test("malformed XML, a non-domain document and a hostdev interface without a MAC are clear errors")
    func errors() {
        let mismatch = #expect(throws: SRIOVError.self) { try DomainXMLParser.parse("<domain>\n<name>x</nam></domain>") }
        #expect(mismatch?.code == .libvirt)
        #expect(mismatch?.message == "domain XML line 2: cannot parse: an end tag does not match its start tag")

        let truncated = #expect(throws: SRIOVError.self) { try DomainXMLParser.parse("<domain>\n<name>x</name>") }
        #expect(truncated?.message == "domain XML line 2: cannot parse: the document ends too early (truncated?)")

        let empty = #expect(throws: SRIOVError.self) { try DomainXMLParser.parse("") }
        #expect(empty?.code == .libvirt)

        let network = #expect(throws: SRIOVError.self) { try DomainXMLParser.parse("<network><name>x</name></network>") }
        #expect(network?.message == "domain XML: the document is not a <domain>")

        // A guest's owner cannot make sriovctl read an unbounded document.
        let huge = "<domain><description>" + String(repeating: "x", count: DomainXMLParser.maximumBytes) + "</description></domain>"
        let tooBig = #expect(throws: SRIOVError.self) { try DomainXMLParser.parse(huge) }
        #expect(tooBig?.message == "domain XML: cannot parse: \(huge.utf8.count) bytes, above the 4 MiB limit")

        let noMAC = #expect(throws: SRIOVError.self) {
            try DomainXMLParser.parse("<domain><devices>\n<interface type='hostdev'/></devices></domain>")
        }
        #expect(noMAC?.message == "domain XML line 2: hostdev interface has no <mac address>")
    }
}
