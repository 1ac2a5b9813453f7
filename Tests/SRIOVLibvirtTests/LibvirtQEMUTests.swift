import SRIOVCore
import SRIOVLibvirt
import Testing

/// A real libvirtd with the QEMU driver (qemu:///system): what `sriovctl attach --config` and
/// `detach --config` do to a guest's persistent definition. No PCI device is needed for a
/// config-only change. Start the daemon with Tests/Support/start-libvirtd.sh.
///
/// The guests here use bus 0x7e, which no sysfs fixture has: suites run in parallel against the
/// one libvirtd, and `sriovctl attach` skips a VF that any defined guest holds, so a guest here on
/// a fixture's VF would change which VF another suite's attach picks.
@Suite("libvirt QEMU driver (qemu:///system)",
       .enabled(if: LibvirtTestSupport.qemuSystemReachable, LibvirtTestSupport.qemuSystemSkipReason))
struct LibvirtQEMUTests {
    /// Defines an inactive guest, runs `body`, and undefines it even when `body` fails.
    func withGuest(_ body: (LibvirtGuestDomains, String) throws -> Void) throws {
        let domains = try LibvirtGuestDomains()
        #expect(domains.connection.uri == "qemu:///system")
        let name = LibvirtTestSupport.uniqueGuestName()
        try domains.defineGuest(xml: LibvirtTestSupport.domainXML(name: name, type: "qemu"))
        defer { try? domains.undefineGuest(named: name) }
        try body(domains, name)
    }

    @Test("attach --config adds the hostdev interface to the persistent XML; detach --config removes it")
    func attachDetachConfig() throws {
        try withGuest { domains, name in
            let interface = GuestInterface(mac: MACAddress("52:54:00:6d:90:02")!,
                                           vfPCIAddress: PCIAddress("0000:7e:10.0")!, vlan: PortVLAN(id: 42))
            let xml = try LibvirtInterfaceXML.render(interface)

            try domains.attachDevice(xml: xml, to: name, scope: .config)
            let attached = try DomainXMLParser.parse(domains.domainXML(of: name, persistent: true))
            #expect(attached.hostdevInterfaces == [interface])
            #expect(try domains.guest(named: name)?.hostdevInterfaces == [interface])

            try domains.detachDevice(xml: xml, from: name, scope: .config)
            let detached = try DomainXMLParser.parse(domains.domainXML(of: name, persistent: true))
            #expect(detached.hostdevInterfaces == [])
        }
    }

    @Test("detaching what is not there is notFound; attaching to a stopped guest live is refused")
    func refusals() throws {
        try withGuest { domains, name in
            let interface = GuestInterface(mac: MACAddress("52:54:00:6d:90:05")!,
                                           vfPCIAddress: PCIAddress("0000:7e:10.1")!,
                                           virtualPort: VirtualPort(profileID: "finance"))
            let xml = try LibvirtInterfaceXML.render(interface)

            let missing = #expect(throws: SRIOVError.self) { try domains.detachDevice(xml: xml, from: name, scope: .config) }
            #expect(missing?.code == .notFound)
            #expect(missing?.message.hasPrefix("guest '\(name)': libvirt: ") == true, "\(missing?.message ?? "")")

            let live = #expect(throws: SRIOVError.self) { try domains.attachDevice(xml: xml, to: name, scope: .live) }
            #expect(live?.code == .libvirt)
            #expect(live?.message.hasPrefix("guest '\(name)': libvirt: ") == true, "\(live?.message ?? "")")
            #expect(try domains.guest(named: name)?.hostdevInterfaces == [])
        }
    }

    /// libvirt 9.0 does not refuse a second identical --config attach; the guest then holds the
    /// VF twice and libvirt can no longer detach either copy by XML. So callers (sriovctl attach)
    /// must look at ``GuestDefinition/hostdevInterfaces`` first and attach only what is missing.
    @Test("libvirt accepts the same interface twice with --config, and then cannot detach it")
    func duplicateAttach() throws {
        try withGuest { domains, name in
            let interface = GuestInterface(mac: MACAddress("52:54:00:6d:90:06")!,
                                           vfPCIAddress: PCIAddress("0000:7e:10.2")!)
            let xml = try LibvirtInterfaceXML.render(interface)
            try domains.attachDevice(xml: xml, to: name, scope: .config)
            try domains.attachDevice(xml: xml, to: name, scope: .config)
            #expect(try domains.guest(named: name)?.hostdevInterfaces == [interface, interface])
            let error = #expect(throws: SRIOVError.self) { try domains.detachDevice(xml: xml, from: name, scope: .config) }
            #expect(error?.code == .libvirt)
            #expect(error?.message.contains("multiple devices matching MAC address 52:54:00:6d:90:06") == true,
                    "\(error?.message ?? "")")
        }
    }
}
