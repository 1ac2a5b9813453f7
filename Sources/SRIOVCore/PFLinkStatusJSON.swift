/// Explicit `null` for absent values in `vf show --json` (the ``PFLinkStatus`` shape), so
/// every documented key is always present, as in `list --json`. See docs/netlink.md.

extension PFLinkStatus: ExplicitNullEncoding {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case ifindex, name, mac, permanentMAC = "permanentMac", operState, numVFs, vfs
    }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}
