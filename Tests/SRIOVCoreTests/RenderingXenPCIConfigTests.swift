import SRIOVCore
import Testing

/// What `sriovctl attach` prints for a Xen guest.
@Suite("Rendering: Xen xl PCI config")
struct RenderingXenPCIConfigTests {
    let mac = MACAddress("52:54:00:6d:90:02")!

    @Test("one VF renders the xl line with the full domain:bus:slot.function address")
    func oneVF() throws {
        let interface = GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0b:10.0")!, vlan: PortVLAN(id: 42))
        #expect(try XenPCIConfig.render(interface) == "pci = [ '0000:0b:10.0' ]")
        #expect(try XenPCIConfig.assignableAddCommand(for: interface) == "xl pci-assignable-add 0000:0b:10.0")
    }

    @Test("several VFs go in one list, in order; an empty list is valid")
    func severalVFs() throws {
        let a = GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.0")!)
        let b = GuestInterface(mac: MACAddress("52:54:00:6d:90:03")!, vfPCIAddress: PCIAddress("0001:82:00.7")!)
        #expect(try XenPCIConfig.render([a, b]) == "pci = [ '0000:0b:10.0', '0001:82:00.7' ]")
        #expect(try XenPCIConfig.render([]) == "pci = [ ]")
        let error = #expect(throws: SRIOVError.self) { try XenPCIConfig.render([a, a]) }
        #expect(error?.message == "VF 0000:0b:10.0: listed twice for one Xen guest")
    }

    @Test("Xen refuses non-PCI VFs and 802.1Qbh port profiles")
    func refusals() {
        let noPCI = #expect(throws: SRIOVError.self) {
            try XenPCIConfig.render(GuestInterface(mac: mac, vfPCIAddress: nil))
        }
        #expect(noPCI?.code == .notSupported)
        #expect(noPCI?.message.contains("has no PCI address") == true)
        let port = #expect(throws: SRIOVError.self) {
            try XenPCIConfig.render(GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.0")!,
                                                   virtualPort: VirtualPort(profileID: "finance")))
        }
        #expect(port?.code == .notSupported)
        #expect(port?.message == "VF 0000:0b:10.0: an 802.1Qbh virtual port ('finance') cannot be used with Xen; xl has no port profiles")
    }
}
