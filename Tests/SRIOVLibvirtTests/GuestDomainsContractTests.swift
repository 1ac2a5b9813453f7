import SRIOVCore
import SRIOVLibvirt
import SRIOVTesting
import Testing

/// The same attach/detach story told to the in-memory fake (SRIOVTesting) and to a real
/// libvirtd: the fake that attach/audit tests use must behave as libvirt does.
@Suite("GuestDomainControlling: fake and libvirt agree")
struct GuestDomainsContractTests {
    /// Runs the story against `domains`, where `name` is a defined, stopped guest without VFs.
    static func story(_ domains: any GuestDomainControlling, guest name: String) throws {
        let a = GuestInterface(mac: MACAddress("52:54:00:6d:91:01")!, vfPCIAddress: PCIAddress("0000:0b:10.0")!,
                               vlan: PortVLAN(id: 42))
        let b = GuestInterface(mac: MACAddress("52:54:00:6d:91:02")!, vfPCIAddress: PCIAddress("0000:0b:10.2")!,
                               virtualPort: VirtualPort(profileID: "finance"))
        let xmlA = try LibvirtInterfaceXML.render(a)
        let xmlB = try LibvirtInterfaceXML.render(b)

        #expect(try domains.guest(named: name)?.hostdevInterfaces == [])
        #expect(try domains.guest(named: name)?.isActive == false)

        try domains.attachDevice(xml: xmlA, to: name, scope: .config)
        try domains.attachDevice(xml: xmlB, to: name, scope: [])          // "current" = config when stopped
        #expect(try domains.guest(named: name)?.hostdevInterfaces == [a, b])
        #expect(try domains.guest(named: name)?.liveHostdevInterfaces == nil)
        #expect(try domains.listGuests().first { $0.name == name }?.hostdevInterfaces == [a, b])

        let live = #expect(throws: SRIOVError.self) { try domains.attachDevice(xml: xmlA, to: name, scope: .live) }
        #expect(live?.code == .libvirt)

        try domains.detachDevice(xml: xmlA, from: name, scope: .config)
        #expect(try domains.guest(named: name)?.hostdevInterfaces == [b])
        let missing = #expect(throws: SRIOVError.self) { try domains.detachDevice(xml: xmlA, from: name, scope: .config) }
        #expect(missing?.code == .notFound)

        try domains.attachDevice(xml: xmlB, to: name, scope: .config)
        #expect(try domains.guest(named: name)?.hostdevInterfaces == [b, b])
        let twice = #expect(throws: SRIOVError.self) { try domains.detachDevice(xml: xmlB, from: name, scope: .config) }
        #expect(twice?.code == .libvirt)
        #expect(twice?.message.contains("multiple devices matching MAC address 52:54:00:6d:91:02") == true)

        let unknown = #expect(throws: SRIOVError.self) {
            try domains.attachDevice(xml: xmlA, to: "sriovctl-no-such-guest", scope: .config)
        }
        #expect(unknown?.code == .notFound)
        #expect(unknown?.message.hasPrefix("guest 'sriovctl-no-such-guest': no such guest on ") == true)
        #expect(try domains.guest(named: "sriovctl-no-such-guest") == nil)
    }

    @Test("the fake tells the story")
    func fake() throws {
        let fake = FakeGuestDomains(guests: [
            GuestDefinition(name: "web1", uuid: "c1c12e9d-26e0-40ec-a6d8-a16dc7210983", isActive: false,
                            hostdevInterfaces: []),
        ])
        try Self.story(fake, guest: "web1")
        #expect(fake.calls.first?.operation == "attach")
        #expect(fake.calls.first?.scope == .config)
    }

    @Test("the fake changes a running guest's live interfaces with .live, and fails on request")
    func fakeLive() throws {
        let fake = FakeGuestDomains()
        fake.define(GuestDefinition(name: "db1", uuid: "u", isActive: true, hostdevInterfaces: []))
        let a = GuestInterface(mac: MACAddress("52:54:00:6d:91:03")!, vfPCIAddress: PCIAddress("0000:0b:10.4")!)
        try fake.attachDevice(xml: try LibvirtInterfaceXML.render(a), to: "db1", scope: .live)
        #expect(try fake.guest(named: "db1")?.liveHostdevInterfaces == [a])
        #expect(try fake.guest(named: "db1")?.hostdevInterfaces == [])
        fake.failNext(SRIOVError(.libvirt, "guest 'db1': libvirt: boom"))
        #expect(throws: SRIOVError(.libvirt, "guest 'db1': libvirt: boom")) {
            try fake.detachDevice(xml: try LibvirtInterfaceXML.render(a), from: "db1", scope: .live)
        }
        #expect(try fake.guest(named: "db1")?.liveHostdevInterfaces == [a])
    }

    @Test("libvirtd with the QEMU driver tells the same story",
          .enabled(if: LibvirtTestSupport.qemuSystemReachable, LibvirtTestSupport.qemuSystemSkipReason))
    func qemu() throws {
        let domains = try LibvirtGuestDomains()
        let name = LibvirtTestSupport.uniqueGuestName()
        try domains.defineGuest(xml: LibvirtTestSupport.domainXML(name: name, type: "qemu"))
        defer { try? domains.undefineGuest(named: name) }
        try Self.story(domains, guest: name)
    }
}
