/// Explicit `null` for absent values in `list --json`, so every documented key is always present.

extension PhysicalFunction: ExplicitNullEncoding {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, pciAddress, sysfsDevice, kind, vendorID = "vendorId", deviceID = "deviceId", driver, netdevs
        case totalVFs, numVFs, driversAutoprobe, linkState, numaNode, vfs
    }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}

extension VirtualFunction: ExplicitNullEncoding {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case index, pciAddress, driver, netdev, iommuGroup, iommuGroupDevices, libvirtNodeDevice, live
    }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}

extension VFState {
    enum CodingKeys: String, CodingKey {
        case index, mac, vlans, spoofCheck = "spoofchk", trust, linkState, minTxRate, maxTxRate, rssQuery
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(mac, forKey: .mac)
        try c.encode(vlans, forKey: .vlans)
        try c.encode(spoofCheck, forKey: .spoofCheck)
        try c.encode(trust, forKey: .trust)
        try c.encode(linkState, forKey: .linkState)
        try c.encode(minTxRate, forKey: .minTxRate)
        try c.encode(maxTxRate, forKey: .maxTxRate)
        try c.encode(rssQuery, forKey: .rssQuery)
    }
}
