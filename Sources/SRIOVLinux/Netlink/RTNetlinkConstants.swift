import CNetlink

/// The rtnetlink numbers sriovctl uses, typed once, taken from the kernel's headers
/// (`linux/rtnetlink.h`, `linux/if_link.h`) so they cannot drift.
enum RTNL {
    // Message types and flags.
    static let getLink = Int32(RTM_GETLINK)
    static let newLink = Int(RTM_NEWLINK)
    static let setLink = Int32(RTM_SETLINK)
    static let messageError = Int(NLMSG_ERROR)
    static let messageDone = Int(NLMSG_DONE)
    static let flagRequest = Int32(NLM_F_REQUEST)
    static let flagAck = Int32(NLM_F_ACK)
    static let flagMulti = Int(NLM_F_MULTI)
    static let flagAckTLVs = Int(NLM_F_ACK_TLVS)
    static let flagCapped = Int(NLM_F_CAPPED)

    // Link attributes (IFLA_*).
    static let address = Int(IFLA_ADDRESS)
    static let ifname = Int(IFLA_IFNAME)
    static let operState = Int(IFLA_OPERSTATE)
    static let linkInfo = Int(IFLA_LINKINFO)
    static let infoKind = Int(IFLA_INFO_KIND)
    static let numVF = Int(IFLA_NUM_VF)
    static let vfInfoList = Int(IFLA_VFINFO_LIST)
    static let extMask = Int(IFLA_EXT_MASK)
    static let permAddress = Int(IFLA_PERM_ADDRESS)

    /// `RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS`: every VF, without the per-VF stats
    /// that overflow the list's 16-bit length at about 222 VFs.
    static let vfFilterMask = UInt32(RTEXT_FILTER_VF) | UInt32(RTEXT_FILTER_SKIP_STATS)

    // One VF's attributes (IFLA_VF_*).
    static let vfInfo = Int(IFLA_VF_INFO)
    static let vfMAC = Int(IFLA_VF_MAC)
    static let vfVLAN = Int(IFLA_VF_VLAN)
    static let vfTxRate = Int(IFLA_VF_TX_RATE)
    static let vfSpoofCheck = Int(IFLA_VF_SPOOFCHK)
    static let vfLinkState = Int(IFLA_VF_LINK_STATE)
    static let vfRate = Int(IFLA_VF_RATE)
    static let vfRSSQuery = Int(IFLA_VF_RSS_QUERY_EN)
    static let vfTrust = Int(IFLA_VF_TRUST)
    static let vfVLANList = Int(IFLA_VF_VLAN_LIST)
    static let vfVLANInfo = Int(IFLA_VF_VLAN_INFO)

    // Extended ACK.
    static let extAckMessage = Int(NLMSGERR_ATTR_MSG.rawValue)

    /// Bytes of `struct ifla_vf_mac` (`__u32 vf; __u8 mac[32]`).
    static let vfMACPayloadSize = 36
    /// Bytes one VF entry takes in a reply without stats (the kernel's fixed set of
    /// attributes): 196. 65535 / 196 = 334 VFs fit in one `IFLA_VFINFO_LIST`.
    static let vfEntryReplySize = 196
}
