import SRIOVCore
import SRIOVLibvirt
import Testing

/// libvirt's built-in test driver (`test:///default`, in-process, no daemon): it parses,
/// validates and stores domain XML like a real driver but cannot attach devices.
@Suite("libvirt test driver")
struct LibvirtTestDriverTests {
    let mac = MACAddress("52:54:00:6d:90:02")!

    func guests() throws -> LibvirtGuestDomains { try LibvirtGuestDomains(uri: "test:///default") }

    /// Defines a guest holding `interfaces`, runs `body`, and undefines it even when `body` fails.
    func withGuest(_ interfaces: [GuestInterface], _ body: (LibvirtGuestDomains, String) throws -> Void) throws {
        let domains = try guests()
        let name = LibvirtTestSupport.uniqueGuestName()
        let devices = try interfaces.map { try LibvirtInterfaceXML.render($0) }.joined()
        try domains.defineGuest(xml: LibvirtTestSupport.domainXML(name: name, type: "test", devices: devices))
        defer { try? domains.undefineGuest(named: name) }
        try body(domains, name)
    }

    @Test("MAC, PCI source, VLAN and virtual port survive define (with schema validation) and read-back")
    func roundTrip() throws {
        let interfaces = [
            GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.0")!, vlan: PortVLAN(id: 42)),
            GuestInterface(mac: MACAddress("52:54:00:6d:90:03")!, vfPCIAddress: PCIAddress("0000:0b:10.1")!,
                           virtualPort: VirtualPort(profileID: "finance-vm.1")),
            GuestInterface(mac: MACAddress("52:54:00:6d:90:04")!, vfPCIAddress: PCIAddress("0000:0b:10.2")!),
        ]
        try withGuest(interfaces) { domains, name in
            let xml = try domains.domainXML(of: name, persistent: true)
            let parsed = try DomainXMLParser.parse(xml)
            #expect(parsed.name == name)
            #expect(parsed.hostdevInterfaces == interfaces)

            let guest = try #require(try domains.guest(named: name))
            #expect(guest.name == name)
            #expect(guest.uuid == parsed.uuid)
            #expect(guest.uuid.count == 36)
            #expect(guest.isActive == false)
            #expect(guest.hostdevInterfaces == interfaces)
            #expect(guest.liveHostdevInterfaces == nil)
            #expect(try domains.listGuests().contains(guest))
        }
    }

    @Test("an unknown guest is nil for lookup and .notFound for attach/detach, naming it")
    func unknownGuest() throws {
        let domains = try guests()
        #expect(try domains.guest(named: "sriovctl-no-such-guest") == nil)
        let xml = try LibvirtInterfaceXML.render(GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.0")!))
        let error = #expect(throws: SRIOVError.self) {
            try domains.attachDevice(xml: xml, to: "sriovctl-no-such-guest", scope: .config)
        }
        #expect(error?.code == .notFound)
        #expect(error?.message == "guest 'sriovctl-no-such-guest': no such guest on test:///default")
        #expect(throws: SRIOVError(.notFound, "guest 'sriovctl-no-such-guest': no such guest on test:///default")) {
            try domains.detachDevice(xml: xml, from: "sriovctl-no-such-guest", scope: .config)
        }
    }

    @Test("the test driver's missing attach-device is reported as notSupported with libvirt's message")
    func attachNotSupported() throws {
        try withGuest([]) { domains, name in
            let xml = try LibvirtInterfaceXML.render(GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.0")!))
            let error = #expect(throws: SRIOVError.self) { try domains.attachDevice(xml: xml, to: name, scope: .config) }
            #expect(error?.code == .notSupported)
            #expect(error?.message.hasPrefix("guest '\(name)': libvirt: ") == true, "\(error?.message ?? "")")
        }
    }

    @Test("XML libvirt's schema rejects is refused at define, with libvirt's reason")
    func defineValidates() throws {
        let domains = try guests()
        let name = LibvirtTestSupport.uniqueGuestName()
        let bogus = "    <interface type='hostdev'><sriovctl-unknown/></interface>\n"
        let error = #expect(throws: SRIOVError.self) {
            try domains.defineGuest(xml: LibvirtTestSupport.domainXML(name: name, type: "test", devices: bogus))
        }
        #expect(error?.code == .libvirt)
        #expect(error?.message.hasPrefix("libvirt test:///default: define guest: libvirt: ") == true, "\(error?.message ?? "")")
        #expect(try domains.guest(named: name) == nil)
    }

    @Test("a connection that cannot be opened names the URI and libvirt's reason")
    func connectFailure() {
        let error = #expect(throws: SRIOVError.self) {
            try LibvirtGuestDomains(uri: "test:///sriovctl/no/such/file.xml")
        }
        #expect(error?.code == .libvirt)
        #expect(error?.message.hasPrefix("libvirt test:///sriovctl/no/such/file.xml: cannot connect: ") == true,
                "\(error?.message ?? "")")
    }

    @Test("a read-only connection lists guests")
    func readOnly() throws {
        let domains = try LibvirtGuestDomains(uri: "test:///default", readOnly: true)
        #expect(domains.connection.isReadOnly)
        // test:///default always holds its sample guest "test", which is running.
        let sample = try #require(try domains.listGuests().first { $0.name == "test" })
        #expect(sample.isActive)
        #expect(sample.liveHostdevInterfaces == [])
    }
}
