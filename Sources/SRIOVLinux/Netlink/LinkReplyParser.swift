import CNetlink
public import SRIOVCore

/// What one `RTM_NEWLINK` reply says about a PF.
struct LinkReply: Sendable {
    /// The PF and every VF the reply carried.
    var status: PFLinkStatus
    /// `IFLA_INFO_KIND` (`veth`, `bridge`...) for virtual links; `nil` for hardware.
    var kind: String?
}

/// Parses an `RTM_NEWLINK` reply into a ``LinkReply``, walking attributes by hand.
///
/// VFs are keyed by the index inside each entry (`IFLA_VF_MAC`'s `vf` field), never by
/// position. Past about 334 VFs (196 bytes each) the list's 16-bit length wraps; the
/// whole list is still recovered (``VFInfoListExtent``). A reply with fewer entries than
/// `IFLA_NUM_VF` after that is an error, never a silently short list.
enum LinkReplyParser {
    /// RFC 2863 operational states, as `IFLA_OPERSTATE` numbers them.
    static let operStates = ["unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"]

    /// Parses `message`; `requested` names the link in errors.
    static func parse(_ message: NetlinkMessage, requested: String) throws(SRIOVError) -> LinkReply {
        guard message.type == RTNL.newLink else {
            throw SRIOVError(.system, "\(requested): unexpected netlink reply type \(message.type) to RTM_GETLINK")
        }
        return try message.withPayload { (payload) throws(SRIOVError) -> LinkReply in
            let headerSize = MemoryLayout<ifinfomsg>.size
            guard payload.count >= headerSize else {
                throw SRIOVError(.system, "\(requested): netlink reply too short (\(payload.count) bytes)")
            }
            let ifindex = Int(payload.loadUnaligned(fromByteOffset: 4, as: Int32.self))
            let attributes = UnsafeRawBufferPointer(rebasing: payload[headerSize...])

            var name = requested
            var mac: MACAddress?
            var permanentMAC: MACAddress?
            var operState = "unknown"
            var numVFs: Int?
            var kind: String?
            var vfs: [Int: VFState] = [:]
            var listSeen = false
            var iterator = NetlinkAttributeList(attributes).makeIterator()
            while true {
                let offset = iterator.offset
                guard let attribute = iterator.next() else { break }
                // Only the first occurrence counts (a wrapped VF list that could not be
                // recovered leaves the rest of the list to be misread as top-level attributes).
                switch attribute.type {
                case RTNL.ifname where !listSeen: name = attribute.string
                case RTNL.address where !listSeen && mac == nil: mac = MACAddress(octets: Array(attribute.payload))
                case RTNL.permAddress where permanentMAC == nil:
                    permanentMAC = MACAddress(octets: Array(attribute.payload))
                case RTNL.operState where !listSeen:
                    let value = Int(attribute.u8 ?? 0)
                    operState = value < operStates.count ? operStates[value] : "unknown"
                case RTNL.numVF where numVFs == nil: numVFs = attribute.u32().map { Int($0) }
                case RTNL.linkInfo where kind == nil:
                    kind = attribute.nested.first { $0.type == RTNL.infoKind }?.string
                case RTNL.vfInfoList where !listSeen:
                    listSeen = true
                    let list = VFInfoListExtent.entries(in: attributes, at: offset, stated: attribute, expected: numVFs)
                    for entry in list.entries where entry.type == RTNL.vfInfo {
                        if let vf = parseVF(entry), vfs[vf.index] == nil { vfs[vf.index] = vf }
                    }
                    iterator.offset = list.nextOffset
                default: break
                }
            }

            let expected = numVFs ?? 0
            if expected > 0 && !listSeen {
                throw SRIOVError(.notSupported,
                                 "\(name): the driver reports \(expected) VFs but not their settings over netlink")
            }
            if vfs.count < expected {
                let reason = expected * RTNL.vfEntryReplySize + 4 > Int(UInt16.max)
                    ? "the list of \(expected) VFs is longer than a netlink attribute's 16-bit length allows, about 334 VFs, and the entries past the wrapped length could not be recovered"
                    : "the driver did not report the others"
                throw SRIOVError(.system,
                                 "\(name): the kernel reported \(vfs.count) of \(expected) VFs in one netlink message (\(reason))")
            }
            let status = PFLinkStatus(ifindex: ifindex, name: name, mac: mac, permanentMAC: permanentMAC,
                                      operState: operState, numVFs: expected,
                                      vfs: vfs.values.sorted { $0.index < $1.index })
            return LinkReply(status: status, kind: kind)
        }
    }

    /// One `IFLA_VF_INFO` entry; `nil` when it carries no VF index.
    static func parseVF(_ entry: NetlinkAttribute) -> VFState? {
        var index: UInt32?
        var mac = MACAddress.zero
        var vlan: PortVLAN?
        var vlanList: [PortVLAN] = []
        var state = VFState(index: 0)
        var txRate: Int?
        for attribute in entry.nested {
            switch attribute.type {
            case RTNL.vfMAC:
                // struct ifla_vf_mac { __u32 vf; __u8 mac[32]; }: the index that counts.
                index = attribute.u32()
                if let octets = attribute.bytes(at: 4, count: 6), let value = MACAddress(octets: octets) { mac = value }
            case RTNL.vfVLAN:
                if let id = attribute.u32(at: 4), let qos = attribute.u32(at: 8) {
                    vlan = PortVLAN(id: Int(id), qos: Int(qos))
                }
                index = index ?? attribute.u32()
            case RTNL.vfVLANList:
                for info in attribute.nested where info.type == RTNL.vfVLANInfo {
                    guard let id = info.u32(at: 4), let qos = info.u32(at: 8) else { continue }
                    // vlan_proto is __be16.
                    let proto = info.bigEndianU16(at: 12).flatMap { VLANProtocol(ethertype: $0) } ?? .ieee8021Q
                    vlanList.append(PortVLAN(id: Int(id), qos: Int(qos), proto: proto))
                }
            case RTNL.vfRate:
                if let min = attribute.u32(at: 4), let max = attribute.u32(at: 8) {
                    state.minTxRate = Int(min)
                    state.maxTxRate = Int(max)
                }
            case RTNL.vfTxRate:
                txRate = attribute.u32(at: 4).map { Int($0) }
            case RTNL.vfSpoofCheck:
                state.spoofCheck = setting(attribute)
            case RTNL.vfLinkState:
                state.linkState = attribute.u32(at: 4).flatMap { VFLinkState(kernelValue: $0) }
            case RTNL.vfRSSQuery:
                state.rssQuery = setting(attribute)
            case RTNL.vfTrust:
                state.trust = setting(attribute)
            default: break
            }
        }
        guard let index else { return nil }
        state.index = Int(index)
        state.mac = mac
        state.vlans = !vlanList.isEmpty ? vlanList : (vlan.map { [$0] } ?? [])
        if state.maxTxRate == nil, let txRate { state.maxTxRate = txRate }
        return state
    }

    /// A `{ __u32 vf; __u32 setting; }` flag: the kernel presets `(u32)-1` for
    /// "the driver did not say", which becomes `nil`.
    private static func setting(_ attribute: NetlinkAttribute) -> Bool? {
        guard let value = attribute.u32(at: 4), value != UInt32.max else { return nil }
        return value != 0
    }
}
