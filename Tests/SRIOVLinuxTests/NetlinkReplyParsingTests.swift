import SRIOVCore
import Testing
@testable import SRIOVLinux

/// Replies as Linux 6.1 writes them, parsed through libnl (`nlmsg_convert`,
/// `nlmsg_set_proto(NETLINK_ROUTE)`) and the reply parser.
@Suite("Netlink reply parsing")
struct NetlinkReplyParsingTests {
    private func parse(_ bytes: [UInt8], name: String = "eth3") throws -> LinkReply {
        let message = try #require(NetlinkMessage(bytes: bytes))
        return try LinkReplyParser.parse(message, requested: name)
    }

    private static func distinctVFs(_ count: Int) -> [FakeVF] {
        (0..<count).map { i in
            var vf = FakeVF()
            vf.mac = [0x02, 0x00, 0x00, 0x00, UInt8(i >> 8), UInt8(i & 0xff)]
            vf.vlan = UInt32(100 + i)
            vf.qos = UInt32(i % 8)
            vf.trust = UInt32(i % 2)
            vf.spoofCheck = UInt32((i + 1) % 2)
            vf.linkState = UInt32(i % 3)
            vf.minRate = UInt32(i)
            vf.maxRate = UInt32(1000 + i)
            return vf
        }
    }

    /// Offset of the IFLA_VFINFO_LIST attribute in a message from ``KernelReply/newLink``.
    private static func offsetOfVFList(in bytes: [UInt8]) -> Int? {
        var offset = 32   // nlmsghdr + ifinfomsg
        while offset + 4 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            let type = (Int(bytes[offset + 2]) | Int(bytes[offset + 3]) << 8) & 0x3fff
            if type == RTNL.vfInfoList { return offset }
            offset += (length + 3) & ~3
        }
        return nil
    }

    @Test("A VF entry: every field, with an 802.1ad VLAN whose protocol is big-endian on the wire")
    func oneVF() throws {
        var vf = FakeVF()
        vf.mac = [0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee]
        vf.vlan = 300; vf.qos = 5; vf.proto = 0x88a8
        vf.minRate = 100; vf.maxRate = 2000
        vf.spoofCheck = 0; vf.trust = 1; vf.linkState = 2; vf.rss = 1
        let reply = try parse(KernelReply.newLink(vfs: [vf]))
        let state = try #require(reply.status.vf(0))
        #expect(state.mac == MACAddress("02:aa:bb:cc:dd:ee"))
        #expect(state.vlans == [PortVLAN(id: 300, qos: 5, proto: .ieee8021AD)])
        #expect(state.vlan.proto == .ieee8021AD)
        #expect(state.minTxRate == 100 && state.maxTxRate == 2000)
        #expect(state.spoofCheck == false && state.trust == true && state.rssQuery == true)
        #expect(state.linkState == .disable)
    }

    @Test("PF identity: ifindex, name, MAC, permanent MAC, operstate, VF count")
    func pfIdentity() throws {
        let reply = try parse(KernelReply.newLink(ifindex: 12, name: "enp1s0f0", mac: [2, 0, 0, 0, 0, 1],
                                                  permanent: [0x52, 0x54, 0, 1, 2, 3], operState: 2,
                                                  vfs: [FakeVF(), FakeVF()]), name: "enp1s0f0")
        #expect(reply.status.ifindex == 12)
        #expect(reply.status.name == "enp1s0f0")
        #expect(reply.status.mac == MACAddress("02:00:00:00:00:01"))
        #expect(reply.status.permanentMAC == MACAddress("52:54:00:01:02:03"))
        #expect(reply.status.operState == "down")
        #expect(reply.status.numVFs == 2)
        #expect(reply.status.vfs.map(\.index) == [0, 1])
    }

    @Test("A virtual link without VFs (veth): no VF count, no permanent MAC, the kind is kept")
    func vethLike() throws {
        let reply = try parse(KernelReply.newLink(name: "veth0", permanent: nil, operState: 0, vfs: nil, kind: "veth"),
                              name: "veth0")
        #expect(reply.status.numVFs == 0)
        #expect(reply.status.vfs.isEmpty)
        #expect(reply.status.permanentMAC == nil)
        #expect(reply.status.operState == "unknown")
        #expect(reply.kind == "veth")
    }

    @Test("VFs are matched by the index inside the entry, not by list position")
    func outOfOrder() throws {
        let vfs = Self.distinctVFs(4)
        let reply = try parse(KernelReply.newLink(vfs: vfs, order: [3, 1, 0, 2]))
        #expect(reply.status.vfs.map(\.index) == [0, 1, 2, 3])
        for i in 0..<4 {
            #expect(reply.status.vf(i)?.mac.octets == vfs[i].mac)
            #expect(reply.status.vf(i)?.vlan.id == 100 + i)
        }
    }

    @Test("A PF with 256 VFs is read completely and correctly (iproute2 truncates it)")
    func vfs256() throws {
        let vfs = Self.distinctVFs(256)
        let bytes = KernelReply.newLink(vfs: vfs)
        #expect(bytes.count > 50_000)
        let reply = try parse(bytes)
        #expect(reply.status.numVFs == 256)
        #expect(reply.status.vfs.count == 256)
        for i in 0..<256 {
            let state = try #require(reply.status.vf(i))
            #expect(state.mac.octets == vfs[i].mac)
            #expect(state.vlan == PortVLAN(id: 100 + i, qos: i % 8))
            #expect(state.trust == (i % 2 == 1))
            #expect(state.spoofCheck == ((i + 1) % 2 == 1))
            #expect(state.linkState == VFLinkState(kernelValue: UInt32(i % 3)))
            #expect(state.minTxRate == i && state.maxTxRate == 1000 + i)
        }
    }

    @Test("334 VFs still fit in one list")
    func vfs334() throws {
        let reply = try parse(KernelReply.newLink(vfs: Self.distinctVFs(334)))
        #expect(reply.status.vfs.count == 334)
    }

    @Test("More than 334 VFs: the list's 16-bit length wraps, and every VF is still read, with the attributes after the list")
    func wrapped() throws {
        for count in [335, 400, 512, 1024] {
            let vfs = Self.distinctVFs(count)
            let reply = try parse(KernelReply.newLink(vfs: vfs, kind: "fake"))
            #expect(reply.status.vfs.count == count)
            #expect(reply.status.vfs.map(\.index) == Array(0..<count))
            for i in [0, 333, 334, count - 1] {
                #expect(reply.status.vf(i)?.mac.octets == vfs[i].mac, "VF \(i) of \(count)")
                #expect(reply.status.vf(i)?.vlan == PortVLAN(id: 100 + i, qos: i % 8), "VF \(i) of \(count)")
            }
            // IFLA_LINKINFO and IFLA_PERM_ADDRESS come after the list: read from the right place.
            #expect(reply.kind == "fake")
            #expect(reply.status.permanentMAC == MACAddress("52:54:00:12:34:56"))
        }
    }

    @Test("A wrapped list whose entries cannot be walked to a consistent end is an error, never a short list")
    func wrappedUnrecoverable() throws {
        // 400 entries announced and written, but entry 200 is not an IFLA_VF_INFO: the walk
        // stops there, its end does not match the stated length, so only the nest as stated counts.
        var bytes = KernelReply.newLink(vfs: Self.distinctVFs(400))
        let listStart = try #require(Self.offsetOfVFList(in: bytes))
        let entry200 = listStart + 4 + 200 * 196
        bytes[entry200 + 2] = 0x7f   // type
        let error = #expect(throws: SRIOVError.self) { try parse(bytes) }
        #expect(error?.message.hasPrefix("eth3: the kernel reported 65 of 400 VFs in one netlink message") == true,
                "\(error?.message ?? "")")
        #expect(error?.message.contains("could not be recovered") == true)
    }

    @Test("Fewer entries than IFLA_NUM_VF for another reason is an error too")
    func shortList() throws {
        let error = #expect(throws: SRIOVError.self) {
            try parse(KernelReply.newLink(vfs: Self.distinctVFs(3), numVFs: 4))
        }
        #expect(error?.message == "eth3: the kernel reported 3 of 4 VFs in one netlink message (the driver did not report the others)")
    }

    @Test("A driver that reports no VF settings at all is 'not supported', not an empty list")
    func noVFList() throws {
        var body = KernelReply.newLink(vfs: nil)
        // Append IFLA_NUM_VF = 8 without a list, and fix nlmsg_len.
        body += [8, 0, UInt8(RTNL.numVF), 0, 8, 0, 0, 0]
        let length = UInt32(body.count)
        body[0] = UInt8(length & 0xff); body[1] = UInt8(length >> 8)
        let error = #expect(throws: SRIOVError.self) { try parse(body) }
        #expect(error?.code == .notSupported)
    }

    @Test("A setting the driver did not report ((u32)-1) is nil, not 'on'")
    func unreported() throws {
        var vf = FakeVF()
        vf.spoofCheck = UInt32.max; vf.trust = UInt32.max; vf.rss = UInt32.max
        let state = try #require(try parse(KernelReply.newLink(vfs: [vf])).status.vf(0))
        #expect(state.spoofCheck == nil && state.trust == nil && state.rssQuery == nil)
    }
}
