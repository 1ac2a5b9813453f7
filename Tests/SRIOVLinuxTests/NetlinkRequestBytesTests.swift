import SRIOVCore
import Testing
@testable import SRIOVLinux

/// The requests sriovctl sends, byte by byte. If one of these changes, the kernel sees
/// something different: a VF gets the wrong MAC, or an 802.1ad tag goes out byte-swapped.
@Suite("Netlink request bytes")
struct NetlinkRequestBytesTests {
    private func wire(_ index: Int, _ settings: VFSettings, current: VFState? = nil) throws -> VFWireSettings {
        try VFWireSettings(index: index, settings: settings, current: current, pf: "eth3")
    }

    @Test("RTM_GETLINK asks for every VF without stats, by name")
    func getLink() throws {
        let bytes = try LinkRequests.getLink(named: "eth3").bytes
        let expected: [UInt8] = [
            0x34, 0x00, 0x00, 0x00,   // nlmsg_len 52
            0x12, 0x00,               // nlmsg_type RTM_GETLINK (18)
            0x01, 0x00,               // nlmsg_flags NLM_F_REQUEST
            0x00, 0x00, 0x00, 0x00,   // nlmsg_seq (filled in by nl_send_auto)
            0x00, 0x00, 0x00, 0x00,   // nlmsg_pid (filled in by nl_send_auto)
            0x00, 0x00, 0x00, 0x00,   // ifinfomsg: family AF_UNSPEC, pad, type 0
            0x00, 0x00, 0x00, 0x00,   //   ifi_index 0 (look up by name)
            0x00, 0x00, 0x00, 0x00,   //   ifi_flags
            0x00, 0x00, 0x00, 0x00,   //   ifi_change
            0x09, 0x00, 0x03, 0x00,   // IFLA_IFNAME (3), len 9
            0x65, 0x74, 0x68, 0x33,   //   "eth3"
            0x00, 0x00, 0x00, 0x00,   //   NUL + padding
            0x08, 0x00, 0x1d, 0x00,   // IFLA_EXT_MASK (29), len 8
            0x09, 0x00, 0x00, 0x00,   //   RTEXT_FILTER_VF (1) | RTEXT_FILTER_SKIP_STATS (8)
        ]
        #expect(hex(bytes) == hex(expected))
    }

    @Test("An interface name the kernel cannot have is refused before sending")
    func badName() {
        #expect(throws: SRIOVError.self) { try LinkRequests.getLink(named: "a-name-longer-than-15") }
        #expect(throws: SRIOVError.self) { try LinkRequests.getLink(named: "") }
    }

    @Test("RTM_SETLINK: MAC, 802.1Q VLAN with QoS, spoof check and trust for one VF")
    func setOneVF() throws {
        let vf = try wire(2, VFSettings(mac: MACAddress("02:11:22:33:44:55"), vlan: PortVLAN(id: 100, qos: 3),
                                         spoofCheck: false, trust: true))
        let bytes = try LinkRequests.setVFs(ifindex: 7, [vf]).bytes
        var expected: [UInt8] = [
            0x78, 0x00, 0x00, 0x00,   // nlmsg_len 120
            0x13, 0x00,               // nlmsg_type RTM_SETLINK (19)
            0x05, 0x00,               // nlmsg_flags NLM_F_REQUEST | NLM_F_ACK
            0x00, 0x00, 0x00, 0x00,   // nlmsg_seq
            0x00, 0x00, 0x00, 0x00,   // nlmsg_pid
            0x00, 0x00, 0x00, 0x00,   // ifinfomsg: family, pad, type
            0x07, 0x00, 0x00, 0x00,   //   ifi_index 7 (from the read just before)
            0x00, 0x00, 0x00, 0x00,   //   ifi_flags
            0x00, 0x00, 0x00, 0x00,   //   ifi_change
            0x58, 0x00, 0x16, 0x80,   // IFLA_VFINFO_LIST (22) | NLA_F_NESTED (libnl sets it), len 88
            0x54, 0x00, 0x01, 0x80,   //   IFLA_VF_INFO (1) | NLA_F_NESTED, len 84
            0x28, 0x00, 0x01, 0x00,   //     IFLA_VF_MAC (1), len 40
            0x02, 0x00, 0x00, 0x00,   //       vf 2
            0x02, 0x11, 0x22, 0x33, 0x44, 0x55, // mac[0..5]
        ]
        expected += [UInt8](repeating: 0, count: 26)  // mac[6..31] zero
        expected += [
            0x10, 0x00, 0x02, 0x00,   //     IFLA_VF_VLAN (2), len 16
            0x02, 0x00, 0x00, 0x00,   //       vf 2
            0x64, 0x00, 0x00, 0x00,   //       vlan 100
            0x03, 0x00, 0x00, 0x00,   //       qos 3
            0x0c, 0x00, 0x04, 0x00,   //     IFLA_VF_SPOOFCHK (4), len 12
            0x02, 0x00, 0x00, 0x00,   //       vf 2
            0x00, 0x00, 0x00, 0x00,   //       setting off
            0x0c, 0x00, 0x09, 0x00,   //     IFLA_VF_TRUST (9), len 12
            0x02, 0x00, 0x00, 0x00,   //       vf 2
            0x01, 0x00, 0x00, 0x00,   //       setting on
        ]
        #expect(hex(bytes) == hex(expected))
    }

    @Test("802.1ad goes out as IFLA_VF_VLAN_LIST with the protocol big-endian and the struct zeroed")
    func set8021ad() throws {
        let vf = try wire(5, VFSettings(vlan: PortVLAN(id: 300, qos: 0, proto: .ieee8021AD)))
        let bytes = try LinkRequests.setVFs(ifindex: 7, [vf]).bytes
        let expected: [UInt8] = [
            0x40, 0x00, 0x00, 0x00,   // nlmsg_len 64
            0x13, 0x00, 0x05, 0x00,   // RTM_SETLINK, NLM_F_REQUEST | NLM_F_ACK
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // seq, pid
            0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, // ifinfomsg, ifi_index 7
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, //   flags, change
            0x20, 0x00, 0x16, 0x80,   // IFLA_VFINFO_LIST | NLA_F_NESTED, len 32
            0x1c, 0x00, 0x01, 0x80,   //   IFLA_VF_INFO | NLA_F_NESTED, len 28
            0x18, 0x00, 0x0c, 0x80,   //     IFLA_VF_VLAN_LIST (12) | NLA_F_NESTED, len 24
            0x14, 0x00, 0x01, 0x00,   //       IFLA_VF_VLAN_INFO (1), len 20
            0x05, 0x00, 0x00, 0x00,   //         vf 5
            0x2c, 0x01, 0x00, 0x00,   //         vlan 300
            0x00, 0x00, 0x00, 0x00,   //         qos 0
            0x88, 0xa8,               //         vlan_proto ETH_P_8021AD, big-endian
            0x00, 0x00,               //         padding, zeroed
        ]
        #expect(hex(bytes) == hex(expected))
    }

    @Test("Rate is read-modify-write: setting only the max keeps the current min")
    func rateKeepsOther() throws {
        let current = VFState(index: 1, minTxRate: 100, maxTxRate: 1000)
        let vf = try wire(1, VFSettings(maxTxRate: 2000), current: current)
        #expect(vf.rate?.min == 100 && vf.rate?.max == 2000)
        #expect(vf.fieldNames(vf.attributes) == ["maxTxRate"])
        let bytes = try LinkRequests.setVFs(ifindex: 7, [vf]).bytes
        let rate: [UInt8] = [
            0x10, 0x00, 0x06, 0x00,   // IFLA_VF_RATE (6), len 16
            0x01, 0x00, 0x00, 0x00,   //   vf 1
            0x64, 0x00, 0x00, 0x00,   //   min_tx_rate 100 (kept)
            0xd0, 0x07, 0x00, 0x00,   //   max_tx_rate 2000
        ]
        #expect(hex(Array(bytes.suffix(16))) == hex(rate))
        // A new min above the current max is refused before sending.
        #expect(throws: SRIOVError.self) { try wire(1, VFSettings(minTxRate: 5000), current: current) }
    }

    @Test("Link state values: auto 0, enable 1, disable 2")
    func linkState() throws {
        let vf = try wire(3, VFSettings(linkState: .disable))
        let bytes = try LinkRequests.setVFs(ifindex: 7, [vf]).bytes
        let expected: [UInt8] = [
            0x0c, 0x00, 0x05, 0x00,   // IFLA_VF_LINK_STATE (5), len 12
            0x03, 0x00, 0x00, 0x00,   //   vf 3
            0x02, 0x00, 0x00, 0x00,   //   IFLA_VF_LINK_STATE_DISABLE
        ]
        #expect(hex(Array(bytes.suffix(12))) == hex(expected))
    }

    @Test("Several VFs share one IFLA_VFINFO_LIST, in the order given")
    func batch() throws {
        let vfs = try (0..<256).map { try wire($0, VFSettings(mac: MACAddress(integer: 0x0200_0000_0000 + UInt64($0)),
                                                                vlan: PortVLAN(id: 100 + $0), spoofCheck: true, trust: false)) }
        let message = try LinkRequests.setVFs(ifindex: 9, vfs)
        let bytes = message.bytes
        // 32 bytes of headers, the list header, then 84 bytes per VF.
        #expect(bytes.count == 32 + 4 + 256 * 84)
        #expect(LinkRequests.encodedSize(of: vfs[0]) == 84)
        let indexes = try message.withPayload { (payload) throws(SRIOVError) -> [Int] in
            let list = NetlinkAttributeList(UnsafeRawBufferPointer(rebasing: payload[16...])).first!
            return list.nested.map { entry in Int(entry.nested.first!.u32()!) }
        }
        #expect(indexes == Array(0..<256))
    }
}
