import CNetlink
public import SRIOVCore

/// Where a VF's MAC, VLAN, rates, spoof check, link state and trust are programmed: builds
/// the two rtnetlink requests sriovctl sends (read a PF, program its VFs), with libnl's core
/// message API.
///
/// Layouts (host byte order unless noted; see docs/netlink.md for annotated bytes):
/// - read: `RTM_GETLINK` + `ifinfomsg` + `IFLA_IFNAME` + `IFLA_EXT_MASK` =
///   `RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS`.
/// - write: `RTM_SETLINK` (`NLM_F_ACK`) + `ifinfomsg{index}` + `IFLA_VFINFO_LIST` holding
///   one `IFLA_VF_INFO` per VF, each with its attributes in the kernel's order.
/// libnl's `nla_nest_start` sets `NLA_F_NESTED` on nests; the kernel masks it off.
enum LinkRequests {
    /// The longest interface name the kernel accepts (IFNAMSIZ - 1).
    static let maxNameLength = 15

    /// Checks that `name` can be an interface name; throws naming it otherwise.
    static func checkName(_ name: String) throws(SRIOVError) {
        if name.isEmpty || name.utf8.count > maxNameLength || name.contains("/") || name.contains(" ") || name == "." || name == ".." {
            throw SRIOVError(.invalidValue, "'\(name)' is not a valid network interface name")
        }
    }

    /// `RTM_GETLINK` for the link called `name`, asking for every VF without stats.
    static func getLink(named name: String) throws(SRIOVError) -> NetlinkMessage {
        try checkName(name)
        let message = try NetlinkMessage(type: RTNL.getLink, flags: RTNL.flagRequest)
        try message.appendHeader(ifinfomsg())
        try message.put(RTNL.ifname, Array(name.utf8) + [0])
        var mask = NetlinkPayload()
        mask.u32(RTNL.vfFilterMask)
        try message.put(RTNL.extMask, mask.bytes)
        return message
    }

    /// `RTM_SETLINK` with `NLM_F_ACK` on link `ifindex` carrying every VF of `vfs` in one
    /// `IFLA_VFINFO_LIST`.
    static func setVFs(ifindex: Int, _ vfs: [VFWireSettings]) throws(SRIOVError) -> NetlinkMessage {
        let capacity = 64 + vfs.reduce(0) { $0 + encodedSize(of: $1) }
        let message = try NetlinkMessage(type: RTNL.setLink, flags: RTNL.flagRequest | RTNL.flagAck, capacity: capacity)
        var header = ifinfomsg()
        header.ifi_index = Int32(truncatingIfNeeded: ifindex)
        try message.appendHeader(header)
        try message.nest(RTNL.vfInfoList) { (list) throws(SRIOVError) in
            for vf in vfs {
                try list.nest(RTNL.vfInfo) { (entry) throws(SRIOVError) in try encode(vf, into: entry) }
            }
        }
        return message
    }

    /// Bytes `vf`'s `IFLA_VF_INFO` takes in a request (for splitting large batches).
    static func encodedSize(of vf: VFWireSettings) -> Int {
        var size = 4
        for attribute in vf.attributes {
            switch attribute {
            case .mac: size += 4 + RTNL.vfMACPayloadSize
            case .vlan: size += vf.settings.vlan?.proto == .ieee8021AD ? 4 + 4 + 16 : 4 + 12
            case .rate: size += 4 + 12
            case .spoofCheck, .linkState, .trust: size += 4 + 8
            }
        }
        return size
    }

    /// Appends `vf`'s attributes, in the order the kernel applies them.
    private static func encode(_ vf: VFWireSettings, into message: NetlinkMessage) throws(SRIOVError) {
        let index = UInt32(truncatingIfNeeded: vf.index)
        for attribute in vf.attributes {
            var payload = NetlinkPayload()
            payload.u32(index)
            switch attribute {
            case .mac:
                // struct ifla_vf_mac { __u32 vf; __u8 mac[32]; }
                payload.padded(vf.settings.mac?.octets ?? [], width: 32)
                try message.put(RTNL.vfMAC, payload.bytes)
            case .vlan:
                let vlan = vf.settings.vlan ?? .none
                payload.u32(UInt32(truncatingIfNeeded: vlan.id))
                payload.u32(UInt32(truncatingIfNeeded: vlan.qos))
                if vlan.proto == .ieee8021Q {
                    // struct ifla_vf_vlan { __u32 vf; __u32 vlan; __u32 qos; }
                    try message.put(RTNL.vfVLAN, payload.bytes)
                } else {
                    // struct ifla_vf_vlan_info { __u32 vf, vlan, qos; __be16 vlan_proto; } (16
                    // bytes with padding, zeroed), inside IFLA_VF_VLAN_LIST.
                    payload.bigEndianU16(vlan.proto.ethertype)
                    payload.zeroFill(to: 16)
                    let info = payload.bytes
                    try message.nest(RTNL.vfVLANList) { (list) throws(SRIOVError) in
                        try list.put(RTNL.vfVLANInfo, info)
                    }
                }
            case .rate:
                // struct ifla_vf_rate { __u32 vf; __u32 min_tx_rate; __u32 max_tx_rate; }
                payload.u32(UInt32(truncatingIfNeeded: vf.rate?.min ?? 0))
                payload.u32(UInt32(truncatingIfNeeded: vf.rate?.max ?? 0))
                try message.put(RTNL.vfRate, payload.bytes)
            case .spoofCheck:
                // struct ifla_vf_spoofchk { __u32 vf; __u32 setting; }
                payload.u32(vf.settings.spoofCheck == true ? 1 : 0)
                try message.put(RTNL.vfSpoofCheck, payload.bytes)
            case .linkState:
                // struct ifla_vf_link_state { __u32 vf; __u32 link_state; }
                payload.u32((vf.settings.linkState ?? .auto).kernelValue)
                try message.put(RTNL.vfLinkState, payload.bytes)
            case .trust:
                // struct ifla_vf_trust { __u32 vf; __u32 setting; }
                payload.u32(vf.settings.trust == true ? 1 : 0)
                try message.put(RTNL.vfTrust, payload.bytes)
            }
        }
    }
}
