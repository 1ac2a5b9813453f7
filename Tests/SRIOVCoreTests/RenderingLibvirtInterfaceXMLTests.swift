import SRIOVCore
import Testing

/// What `sriovctl attach` prints and sends to libvirt for a VF.
@Suite("Rendering: libvirt interface XML")
struct RenderingLibvirtInterfaceXMLTests {
    let mac = MACAddress("52:54:00:6d:90:02")!
    let vf = PCIAddress("0000:0b:10.0")!

    @Test("a VF with VLAN 42 renders the hostdev interface with <vlan><tag id='42'/>")
    func vlan() throws {
        let xml = try LibvirtInterfaceXML.render(GuestInterface(mac: mac, vfPCIAddress: vf, vlan: PortVLAN(id: 42)))
        #expect(xml == """
            <interface type='hostdev' managed='yes'>
              <mac address='52:54:00:6d:90:02'/>
              <source>
                <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>
              </source>
              <vlan>
                <tag id='42'/>
              </vlan>
            </interface>

            """)
    }

    @Test("no VLAN (nil or VLAN 0) renders no <vlan> element, so libvirt clears the VF's VLAN")
    func vlanNone() throws {
        let expected = """
            <interface type='hostdev' managed='yes'>
              <mac address='52:54:00:6d:90:02'/>
              <source>
                <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>
              </source>
            </interface>

            """
        #expect(try LibvirtInterfaceXML.render(GuestInterface(mac: mac, vfPCIAddress: vf)) == expected)
        #expect(try LibvirtInterfaceXML.render(GuestInterface(mac: mac, vfPCIAddress: vf, vlan: .none)) == expected)
    }

    @Test("VLAN QoS and 802.1ad render only the tag id (libvirt cannot express them)")
    func vlanQoSAndProtocol() throws {
        let xml = try LibvirtInterfaceXML.render(
            GuestInterface(mac: mac, vfPCIAddress: vf, vlan: PortVLAN(id: 100, qos: 5, proto: .ieee8021AD)))
        #expect(xml.contains("<tag id='100'/>"))
        #expect(!xml.contains("qos"))
        #expect(!xml.contains("802.1ad"))
        #expect(!xml.contains("trunk"))
    }

    @Test("an 802.1Qbh virtual port renders <virtualport> with the profile id")
    func virtualPort() throws {
        let xml = try LibvirtInterfaceXML.render(GuestInterface(
            mac: mac, vfPCIAddress: PCIAddress("0001:82:00.7")!, virtualPort: VirtualPort(profileID: "finance-vm.1")))
        #expect(xml == """
            <interface type='hostdev' managed='yes'>
              <mac address='52:54:00:6d:90:02'/>
              <source>
                <address type='pci' domain='0x0001' bus='0x82' slot='0x00' function='0x7'/>
              </source>
              <virtualport type='802.1Qbh'>
                <parameters profileid='finance-vm.1'/>
              </virtualport>
            </interface>

            """)
    }

    @Test("a profile id with XML metacharacters is rejected, naming the character", arguments: [
        ("a'b", "'''"), ("a\"b", "'\"'"), ("a<b", "'<'"), ("a>b", "'>'"), ("a&b", "'&'"), ("x'\"<>&", "'''"),
    ])
    func profileIDMetacharacters(profileID: String, named: String) {
        let interface = GuestInterface(mac: mac, vfPCIAddress: vf, virtualPort: VirtualPort(profileID: profileID))
        let error = #expect(throws: SRIOVError.self) { try LibvirtInterfaceXML.render(interface) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message.hasPrefix("VF 0000:0b:10.0: 802.1Qbh profile id") == true)
        #expect(error?.message.contains("contains \(named)") == true)
        #expect(error?.message.contains("XML metacharacters") == true)
    }

    @Test("a profile id with a control character, empty, or over 39 bytes is rejected")
    func profileIDOtherRules() {
        for (profileID, expected) in [("fin\nance", "contains U+000A"), ("a\u{7f}", "contains U+007F"),
                                      ("", "is empty"), (String(repeating: "p", count: 40), "at most 39")] {
            let interface = GuestInterface(mac: mac, vfPCIAddress: vf, virtualPort: VirtualPort(profileID: profileID))
            let error = #expect(throws: SRIOVError.self) { try LibvirtInterfaceXML.render(interface) }
            #expect(error?.code == .invalidValue)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
            #expect(error?.message.contains("\n") == false)
        }
        #expect(throws: Never.self) {
            try LibvirtInterfaceXML.validate(GuestInterface(
                mac: mac, vfPCIAddress: vf, virtualPort: VirtualPort(profileID: String(repeating: "p", count: 39))))
        }
    }

    @Test("a VLAN together with a virtual port is an invalidValue error")
    func vlanAndVirtualPort() {
        let interface = GuestInterface(mac: mac, vfPCIAddress: vf, vlan: PortVLAN(id: 42),
                                       virtualPort: VirtualPort(profileID: "finance"))
        let error = #expect(throws: SRIOVError.self) { try LibvirtInterfaceXML.render(interface) }
        #expect(error?.code == .invalidValue)
        #expect(error?.message.hasPrefix("VF 0000:0b:10.0: a VLAN (42) and an 802.1Qbh virtual port ('finance') cannot be combined") == true)
    }

    @Test("a VF without a PCI address (netdevsim) cannot be passed through")
    func noPCIAddress() {
        let error = #expect(throws: SRIOVError.self) {
            try LibvirtInterfaceXML.render(GuestInterface(mac: mac, vfPCIAddress: nil, vlan: PortVLAN(id: 42)))
        }
        #expect(error?.code == .notSupported)
        #expect(error?.message == "interface 52:54:00:6d:90:02: the VF has no PCI address (a netdevsim or other non-PCI VF) and cannot be passed through to a guest")
    }

    @Test("multicast and zero MACs, and out-of-range VLANs, are rejected")
    func badValues() {
        let cases: [(GuestInterface, String)] = [
            (GuestInterface(mac: MACAddress("01:00:5e:00:00:01")!, vfPCIAddress: vf), "is multicast"),
            (GuestInterface(mac: .zero, vfPCIAddress: vf), "is the zero address"),
            (GuestInterface(mac: mac, vfPCIAddress: vf, vlan: PortVLAN(id: 4096)), "VLAN 4096 is out of range"),
            (GuestInterface(mac: mac, vfPCIAddress: vf, vlan: PortVLAN(id: 5, qos: 8)), "QoS 8 is out of range"),
            (GuestInterface(mac: mac, vfPCIAddress: vf, vlan: PortVLAN(id: 0, proto: .ieee8021AD)), "802.1ad needs a VLAN id"),
        ]
        for (interface, expected) in cases {
            let error = #expect(throws: SRIOVError.self) { try LibvirtInterfaceXML.render(interface) }
            #expect(error?.code == .invalidValue)
            #expect(error?.message.hasPrefix("VF 0000:0b:10.0: ") == true)
            #expect(error?.message.contains(expected) == true, "\(error?.message ?? "no error")")
        }
    }
}
