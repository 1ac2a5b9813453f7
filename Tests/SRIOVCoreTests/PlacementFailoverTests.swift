import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// `attach --failover` (issue 16): the virtio + VF pair libvirt and QEMU migrate with.
@Suite("Placement: failover pairs")
struct PlacementFailoverTests {
    let interface = GuestInterface(mac: MACAddress("02:5a:00:00:00:07")!, vfPCIAddress: PCIAddress("0000:0b:10.2")!,
                                   vlan: PortVLAN(id: 42))

    @Test("the pair: virtio on the network's path with <teaming type='persistent'/> and an alias, the VF transient naming it, one MAC")
    func renders() throws {
        let pair = FailoverPair(path: .network("default"), network: "prod", slot: 0)
        let (virtio, hostdev) = try LibvirtFailoverXML.render(interface, pair: pair)
        #expect(virtio == """
            <interface type='network'>
              <mac address='02:5a:00:00:00:07'/>
              <source network='default'/>
              <model type='virtio'/>
              <teaming type='persistent'/>
              <alias name='ua-sriov-prod-0'/>
            </interface>

            """)
        #expect(hostdev == """
            <interface type='hostdev' managed='yes'>
              <mac address='02:5a:00:00:00:07'/>
              <source>
                <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/>
              </source>
              <vlan>
                <tag id='42'/>
              </vlan>
              <teaming type='transient' persistent='ua-sriov-prod-0'/>
            </interface>

            """)
        let bridged = try LibvirtFailoverXML.render(interface, pair: FailoverPair(path: .bridge("br0"), network: "a.b", slot: 2))
        #expect(bridged.virtio.hasPrefix("<interface type='bridge'>\n  <mac address='02:5a:00:00:00:07'/>\n  <source bridge='br0'/>"))
        #expect(bridged.virtio.contains("<alias name='ua-sriov-a-b-2'/>"), "'.' is not allowed in a libvirt alias")
        #expect(throws: SRIOVError.self) { try LibvirtFailoverXML.render(interface, pair: FailoverPair(path: .bridge("br0"), alias: "net0")) }
    }

    @Test("attach --failover --apply attaches virtio first, then the VF; the destination's second attach adds only the VF")
    func applies() throws {
        let fixture = AttachmentFixture()
        fixture.config.networks[1].failover = .network("default")
        let attached = try AttachmentService(environment: fixture.environment(libvirt: true)).attach({
            var request = AttachRequest(guest: "web1", network: "pci", output: .libvirt, libvirt: LibvirtApply())
            request.failover = true
            return request
        }())
        #expect(attached.result.failover == FailoverPair(path: .network("default"), alias: "ua-sriov-pci-0"))
        let rendered = try #require(attached.rendered)
        #expect(rendered.hasPrefix("<interface type='network'>") && rendered.contains("<teaming type='transient' persistent='ua-sriov-pci-0'/>"))
        let calls = fixture.libvirt.calls
        #expect(calls.map(\.operation) == ["attach", "attach"])
        #expect(calls.first?.xml.contains("<teaming type='persistent'/>") == true)
        #expect(calls.last?.xml.contains("<interface type='hostdev'") == true)
        let web1 = try #require(try fixture.libvirt.guest(named: "web1"))
        #expect(web1.otherInterfaceMACs == [attached.result.mac])
        #expect(web1.hostdevInterfaces.map(\.mac) == [attached.result.mac])

        // After a migration the guest has the virtio half but no VF: only the VF is attached.
        var migrated = web1
        migrated.hostdevInterfaces = []
        fixture.libvirt.define(migrated)
        _ = try fixture.detach("web1", network: "pci")
        _ = try AttachmentService(environment: fixture.environment(libvirt: true)).attach({
            var request = AttachRequest(guest: "web1", network: "pci", output: .libvirt, libvirt: LibvirtApply())
            request.failover = true
            return request
        }())
        #expect(fixture.libvirt.calls.count == 3)
        #expect(fixture.libvirt.calls.last?.xml.hasPrefix("<interface type='hostdev'") == true)
    }

    @Test("--failover on a network without a failover path is refused before anything is recorded; JSON carries the pair")
    func refusedAndJSON() throws {
        let fixture = AttachmentFixture()
        #expect {
            try fixture.attach("web1", network: "pci") { $0.failover = true }
        } throws: { ($0 as! SRIOVError).message.contains("network 'pci' has no failover path") }
        #expect(try fixture.tables().leases.isEmpty)
        fixture.config.networks[1].failover = .bridge("br0")
        let result = try fixture.attach("web1", network: "pci") { $0.failover = true }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(result)
        #expect(String(decoding: data, as: UTF8.self).contains(#""failover":{"alias":"ua-sriov-pci-0","bridge":"br0"}"#))
        let decoded = try JSONDecoder().decode(AttachmentResult.self, from: data)
        #expect(decoded.failover == result.failover)
    }
}
