import Foundation
import SRIOVCore
import Testing

/// A command that went through the agent decodes the agent's JSON back into the results it
/// prints: decoding then encoding again must give the same JSON, byte for byte.
@Suite("attach and detach results read back from their JSON")
struct AttachmentResultDecodingTests {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("an attach result with every field set survives the round trip")
    func attach() throws {
        let pf = PFRecord(id: PFStableID(device: "0000:0b:00.0", permanentMAC: MACAddress("3c:fd:fe:00:00:01")), kind: .pci,
                          pciAddress: PCIAddress("0000:0b:00.0"), netdev: "eth0")
        let mac = try #require(MACAddress("02:5a:00:00:00:07"))
        let vlan = PortVLAN(id: 100, qos: 3, proto: .ieee8021AD)
        let result = AttachmentResult(
            guest: "web1", uuid: "6f1c0b7e-2d43-4a5e-9b6f-1c2d3e4f5a6b", network: "prod", slot: 2, mac: mac, leaseCreated: true,
            pf: pf, vfIndex: 5, vfPCIAddress: PCIAddress("0000:0b:10.2"),
            settings: VFSettings(mac: mac, vlan: vlan, spoofCheck: true, trust: false, linkState: .enable, minTxRate: 10, maxTxRate: 900),
            interface: GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:0b:10.2"), vlan: vlan),
            outcome: .reconfigured, programmed: ["vlan", "rate"],
            libvirt: .init(action: "attached", scope: [.live, .config]), notes: ["repaired: x"])
        let json = try Self.encode(result)
        let decoded = try JSONDecoder().decode(AttachmentResult.self, from: Data(json.utf8))
        #expect(try Self.encode(decoded) == json)
        #expect(decoded.interface == result.interface)
        #expect(decoded == result)
    }

    @Test("a detach result survives the round trip (its PF by device)")
    func detach() throws {
        let result = DetachResult(guest: "web1", network: "prod", slot: 0, mac: try #require(MACAddress("02:5a:00:00:00:07")),
                                  outcome: "detached", vf: VFKey(pf: PFStableID(device: "0000:0b:00.0"), index: 5),
                                  pfNetdev: "eth0", restored: ["mac"], leaseKept: true, libvirt: "detached", notes: [])
        let json = try Self.encode(result)
        let decoded = try JSONDecoder().decode(DetachResult.self, from: Data(json.utf8))
        #expect(try Self.encode(decoded) == json)
        #expect(decoded == result)
    }
}
