import SRIOVCore
import Testing

@Suite("value types")
struct ValueTypeTests {
    @Test("PCI addresses parse in long and short form and print the kernel's form")
    func pci() throws {
        let address = try #require(PCIAddress("0000:0B:10.2"))
        #expect(address.description == "0000:0b:10.2")
        #expect(address.libvirtNodeDeviceName == "pci_0000_0b_10_2")
        #expect(PCIAddress("0b:10.2") == address)
        for bad in ["", "0000:0b:10", "0000:0b:20.0", "0000:0b:10.8", "zz:00.0", "0000:0b:10.0x"] {
            #expect(PCIAddress(bad) == nil, "accepted \(bad)")
        }
    }

    @Test("MAC addresses: parsing, canonical form, multicast, local bit")
    func mac() throws {
        let mac = try #require(MACAddress("02-5A-00-00-00-0F"))
        #expect(mac.description == "02:5a:00:00:00:0f")
        #expect(mac.isLocallyAdministered && !mac.isMulticast)
        #expect(MACAddress("01:00:5e:00:00:01")!.isMulticast)
        #expect(MACAddress.broadcast.isBroadcast)
        #expect(MACAddress(integer: mac.integer) == mac)
        #expect(MACAddress("02:00:00:00:00") == nil)
        #expect(MACAddress("02:00:00:00:00:0g") == nil)
    }

    @Test("VF settings are checked before anything is sent, with messages naming PF and VF")
    func validation() {
        func error(_ settings: VFSettings) -> String? {
            do { try settings.validate(vfIndex: 3, pf: "eth3"); return nil } catch { return error.message }
        }
        #expect(error(VFSettings(mac: MACAddress("01:00:5e:00:00:01"))) ==
                "eth3 VF 3: MAC 01:00:5e:00:00:01 is multicast (first octet is odd); a VF needs a unicast MAC")
        #expect(error(VFSettings(mac: .broadcast))?.contains("broadcast") == true)
        #expect(error(VFSettings(vlan: PortVLAN(id: 4096))) == "eth3 VF 3: VLAN 4096 is out of range (0-4095)")
        #expect(error(VFSettings(vlan: PortVLAN(id: 5, qos: 8))) == "eth3 VF 3: VLAN QoS 8 is out of range (0-7)")
        #expect(error(VFSettings(vlan: PortVLAN(id: 0, proto: .ieee8021AD)))?.contains("802.1ad needs a VLAN id") == true)
        #expect(error(VFSettings(minTxRate: -1))?.contains("negative") == true)
        #expect(error(VFSettings(minTxRate: 500, maxTxRate: 100)) ==
                "eth3 VF 3: minimum rate 500 Mbps is above maximum rate 100 Mbps")
        #expect(error(VFSettings(mac: .zero, vlan: PortVLAN(id: 4095, qos: 7), minTxRate: 10, maxTxRate: 0)) == nil)
    }

    @Test("The difference between desired settings and a VF's state holds only what must change")
    func difference() {
        let state = VFState(index: 1, mac: MACAddress("02:00:00:00:00:01")!, vlans: [PortVLAN(id: 10)],
                            spoofCheck: true, trust: false, linkState: .auto, minTxRate: 0, maxTxRate: 0)
        #expect(VFSettings(mac: state.mac, vlan: PortVLAN(id: 10), trust: false).difference(from: state) == nil)
        #expect(VFSettings(vlan: PortVLAN(id: 11), trust: false).difference(from: state) == VFSettings(vlan: PortVLAN(id: 11)))
    }
}
