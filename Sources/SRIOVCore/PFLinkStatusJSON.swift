/// Explicit `null` for absent values in `vf show --json` (the ``PFLinkStatus`` shape), so
/// every documented key is always present, as in `list --json`. See docs/netlink.md.

extension PFLinkStatus {
    enum CodingKeys: String, CodingKey {
        case ifindex, name, mac, permanentMAC = "permanentMac", operState, numVFs, vfs
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(ifindex, forKey: .ifindex)
        try c.encode(name, forKey: .name)
        try c.encode(mac, forKey: .mac)
        try c.encode(permanentMAC, forKey: .permanentMAC)
        try c.encode(operState, forKey: .operState)
        try c.encode(numVFs, forKey: .numVFs)
        try c.encode(vfs, forKey: .vfs)
    }
}
