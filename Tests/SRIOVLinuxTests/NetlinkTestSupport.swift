import Foundation
import Logging
import SRIOVCore
@testable import SRIOVLinux

/// Raw netlink bytes, written the way the kernel writes them (host order, 4-byte
/// aligned attributes), for replies the tests parse.
struct WireBytes {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) } }
    mutating func be16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xff)) }
    mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }
    mutating func pad() { while bytes.count % 4 != 0 { bytes.append(0) } }

    /// An attribute with a payload, padded.
    mutating func attr(_ type: Int, _ payload: [UInt8]) {
        u16(UInt16(4 + payload.count)); u16(UInt16(type)); raw(payload); pad()
    }

    /// A nested attribute; its 16-bit length wraps like the kernel's when the content is
    /// longer than 65535 bytes.
    mutating func nest(_ type: Int, _ body: (inout WireBytes) -> Void) {
        let start = bytes.count
        u16(0); u16(UInt16(type))
        body(&self)
        let length = bytes.count - start
        let wrapped = UInt16(truncatingIfNeeded: length)
        bytes[start] = UInt8(wrapped & 0xff)
        bytes[start + 1] = UInt8(wrapped >> 8)
    }

    static func payload(_ build: (inout WireBytes) -> Void) -> [UInt8] {
        var w = WireBytes()
        build(&w)
        return w.bytes
    }
}

/// What a fake PF has for one VF.
struct FakeVF {
    var mac: [UInt8] = [0, 0, 0, 0, 0, 0]
    var vlan: UInt32 = 0
    var qos: UInt32 = 0
    var proto: UInt16 = 0x8100
    var minRate: UInt32 = 0
    var maxRate: UInt32 = 0
    var spoofCheck: UInt32 = 1
    var linkState: UInt32 = 0
    var trust: UInt32 = 0
    var rss: UInt32 = 0
}

enum KernelReply {
    /// An RTM_NEWLINK reply as Linux 6.1 builds it for `RTEXT_FILTER_VF | SKIP_STATS`.
    /// `order` lists VF indexes in the order entries are written (default 0..<count).
    static func newLink(ifindex: Int32 = 7, name: String = "eth3", mac: [UInt8] = [0x52, 0x54, 0, 0x12, 0x34, 0x56],
                        permanent: [UInt8]? = [0x52, 0x54, 0, 0x12, 0x34, 0x56], operState: UInt8 = 6,
                        vfs: [FakeVF]?, numVFs: Int? = nil, order: [Int]? = nil, kind: String? = nil,
                        sequence: UInt32 = 1) -> [UInt8] {
        var body = WireBytes()
        // struct ifinfomsg
        body.u8(0); body.u8(0); body.u16(1); body.u32(UInt32(bitPattern: ifindex)); body.u32(0x1043); body.u32(0)
        body.attr(RTNL.ifname, Array(name.utf8) + [0])
        body.attr(4 /* IFLA_MTU */, WireBytes.payload { $0.u32(1500) })
        body.attr(RTNL.operState, [operState])
        body.attr(RTNL.address, mac)
        body.attr(2 /* IFLA_BROADCAST */, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff])
        if let vfs {
            body.attr(RTNL.numVF, WireBytes.payload { $0.u32(UInt32(numVFs ?? vfs.count)) })
            body.nest(RTNL.vfInfoList) { list in
                for index in order ?? Array(vfs.indices) {
                    vfEntry(&list, index: UInt32(index), vfs[index])
                }
            }
        }
        if let kind {
            body.nest(RTNL.linkInfo) { $0.attr(RTNL.infoKind, Array(kind.utf8) + [0]) }
        }
        if let permanent { body.attr(RTNL.permAddress, permanent) }
        var message = WireBytes()
        message.u32(UInt32(16 + body.bytes.count)); message.u16(UInt16(RTNL.newLink)); message.u16(0)
        message.u32(sequence); message.u32(0)
        message.raw(body.bytes)
        return message.bytes
    }

    /// One IFLA_VF_INFO entry with the kernel's attributes in its order (196 bytes).
    static func vfEntry(_ list: inout WireBytes, index: UInt32, _ vf: FakeVF) {
        list.nest(RTNL.vfInfo) { e in
            e.attr(RTNL.vfMAC, WireBytes.payload { $0.u32(index); $0.raw(vf.mac); $0.raw([UInt8](repeating: 0, count: 26)) })
            e.attr(13 /* IFLA_VF_BROADCAST */, [UInt8](repeating: 0xff, count: 6) + [UInt8](repeating: 0, count: 26))
            e.attr(RTNL.vfVLAN, WireBytes.payload { $0.u32(index); $0.u32(vf.vlan); $0.u32(vf.qos) })
            e.attr(RTNL.vfRate, WireBytes.payload { $0.u32(index); $0.u32(vf.minRate); $0.u32(vf.maxRate) })
            e.attr(RTNL.vfTxRate, WireBytes.payload { $0.u32(index); $0.u32(vf.maxRate) })
            e.attr(RTNL.vfSpoofCheck, WireBytes.payload { $0.u32(index); $0.u32(vf.spoofCheck) })
            e.attr(RTNL.vfLinkState, WireBytes.payload { $0.u32(index); $0.u32(vf.linkState) })
            e.attr(RTNL.vfRSSQuery, WireBytes.payload { $0.u32(index); $0.u32(vf.rss) })
            e.attr(RTNL.vfTrust, WireBytes.payload { $0.u32(index); $0.u32(vf.trust) })
            e.nest(RTNL.vfVLANList) { l in
                l.attr(RTNL.vfVLANInfo, WireBytes.payload {
                    $0.u32(index); $0.u32(vf.vlan); $0.u32(vf.qos); $0.be16(vf.proto); $0.u16(0)
                })
            }
        }
    }

    /// An NLMSG_ERROR answer (`errno` 0: an ACK), optionally with an extended-ACK message.
    static func error(_ errno: Int32, sequence: UInt32 = 1, extAck: String? = nil) -> [UInt8] {
        var body = WireBytes()
        body.u32(UInt32(bitPattern: -errno))
        // The capped original header.
        body.u32(16); body.u16(UInt16(RTNL.setLink)); body.u16(5); body.u32(sequence); body.u32(0)
        var flags: UInt16 = 0x100 // NLM_F_CAPPED
        if let extAck {
            body.attr(RTNL.extAckMessage, Array(extAck.utf8) + [0])
            flags |= 0x200 // NLM_F_ACK_TLVS
        }
        var message = WireBytes()
        message.u32(UInt32(16 + body.bytes.count)); message.u16(UInt16(RTNL.messageError)); message.u16(flags)
        message.u32(sequence); message.u32(0)
        message.raw(body.bytes)
        return message.bytes
    }
}

/// A kernel with one netdevsim-like PF, behind the transport protocol: answers
/// RTM_GETLINK with its VFs and applies RTM_SETLINK the way do_setvfinfo() does (fixed
/// attribute order, stop at the first error, earlier VFs and attributes stay applied).
final class FakeKernel: NetlinkTransport, @unchecked Sendable {
    var name = "eth3"
    var ifindex: Int32 = 7
    var vfs: [FakeVF]
    var present = true
    /// Attribute types the "driver" answers EOPNOTSUPP for.
    var unsupported: Set<Int> = []
    /// The driver refuses the all-zero MAC with EINVAL (some real drivers do).
    var refusesZeroMAC = false
    /// Refuse any request carrying more than one VF (to exercise the per-VF fallback).
    var refusesBatches = false
    /// Answer every RTM_SETLINK with EPERM (a caller without CAP_NET_ADMIN).
    var deniesPermission = false
    /// The PF disappears (ENODEV from then on) once this many RTM_SETLINK requests arrived.
    var vanishesAfterSetRequests: Int?
    /// Every request received, as bytes.
    var requests: [[UInt8]] = []

    init(vfCount: Int) { vfs = Array(repeating: FakeVF(), count: vfCount) }

    var setRequests: [[UInt8]] { requests.filter { Int($0[4]) | Int($0[5]) << 8 == Int(RTNL.setLink) } }

    func exchange(_ request: NetlinkMessage) throws(NetlinkFailure) -> NetlinkMessage? {
        let bytes = request.bytes
        requests.append(bytes)
        if let limit = vanishesAfterSetRequests, setRequests.count > limit { present = false }
        guard present else { throw NetlinkFailure(errno: ENODEV) }
        if request.type == Int(RTNL.getLink) {
            return NetlinkMessage(bytes: KernelReply.newLink(ifindex: ifindex, name: name, vfs: vfs))!
        }
        if deniesPermission { throw NetlinkFailure(errno: EPERM) }
        let failure: NetlinkFailure? = bytes.withUnsafeBytes { raw in
            let attrs = UnsafeRawBufferPointer(rebasing: raw[32...])
            for attr in NetlinkAttributeList(attrs) where attr.type == RTNL.vfInfoList {
                let entries = Array(attr.nested)
                if refusesBatches && entries.count > 1 { return NetlinkFailure(errno: EINVAL) }
                for entry in entries {
                    do { try setVF(entry) } catch { return error as? NetlinkFailure }
                }
            }
            return nil
        }
        if let failure { throw failure }
        return nil
    }

    private func setVF(_ entry: NetlinkAttribute) throws(NetlinkFailure) {
        var byType: [Int: NetlinkAttribute] = [:]
        for a in entry.nested { byType[a.type] = a }
        let order = [RTNL.vfMAC, RTNL.vfVLAN, RTNL.vfVLANList, RTNL.vfRate, RTNL.vfSpoofCheck, RTNL.vfLinkState, RTNL.vfTrust]
        for type in order {
            guard let a = byType[type] else { continue }
            if unsupported.contains(type) { throw NetlinkFailure(errno: EOPNOTSUPP) }
            var target = a
            if type == RTNL.vfVLANList { target = a.nested.first! }
            let vf = Int(target.u32()!)
            guard vf < vfs.count else { throw NetlinkFailure(errno: EINVAL, extAck: nil) }
            switch type {
            case RTNL.vfMAC:
                let mac = a.bytes(at: 4, count: 6)!
                if mac[0] & 1 != 0 || (refusesZeroMAC && mac.allSatisfy { $0 == 0 }) {
                    throw NetlinkFailure(errno: EINVAL)
                }
                vfs[vf].mac = mac
            case RTNL.vfVLAN:
                vfs[vf].vlan = a.u32(at: 4)!; vfs[vf].qos = a.u32(at: 8)!; vfs[vf].proto = 0x8100
            case RTNL.vfVLANList:
                vfs[vf].vlan = target.u32(at: 4)!; vfs[vf].qos = target.u32(at: 8)!
                vfs[vf].proto = target.bigEndianU16(at: 12)!
            case RTNL.vfRate:
                vfs[vf].minRate = a.u32(at: 4)!; vfs[vf].maxRate = a.u32(at: 8)!
            case RTNL.vfSpoofCheck: vfs[vf].spoofCheck = a.u32(at: 4)!
            case RTNL.vfLinkState: vfs[vf].linkState = a.u32(at: 4)!
            case RTNL.vfTrust: vfs[vf].trust = a.u32(at: 4)!
            default: break
            }
        }
    }
}

extension RTNetlinkVFControl {
    /// A controller over `kernel`, with driver names from an empty sysfs.
    static func over(_ kernel: FakeKernel, sysfs: SysfsTree = SysfsTree(root: "/nonexistent"),
                     budget: Int = 30_000) -> RTNetlinkVFControl {
        RTNetlinkVFControl(logger: Logger(label: "test"), sysfs: sysfs, batchBudget: budget) { kernel }
    }
}

/// Bytes as `xx xx xx xx` groups, for readable failures.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
}
