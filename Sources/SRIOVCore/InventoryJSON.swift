/// Explicit `null` for absent values in `list --json`, so every documented key is always present.

extension PhysicalFunction {
    enum CodingKeys: String, CodingKey {
        case name, pciAddress, sysfsDevice, kind, vendorID = "vendorId", deviceID = "deviceId", driver, netdevs
        case totalVFs, numVFs, driversAutoprobe, linkState, numaNode, vfs
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(pciAddress, forKey: .pciAddress)
        try c.encode(sysfsDevice, forKey: .sysfsDevice)
        try c.encode(kind, forKey: .kind)
        try c.encode(vendorID, forKey: .vendorID)
        try c.encode(deviceID, forKey: .deviceID)
        try c.encode(driver, forKey: .driver)
        try c.encode(netdevs, forKey: .netdevs)
        try c.encode(totalVFs, forKey: .totalVFs)
        try c.encode(numVFs, forKey: .numVFs)
        try c.encode(driversAutoprobe, forKey: .driversAutoprobe)
        try c.encode(linkState, forKey: .linkState)
        try c.encode(numaNode, forKey: .numaNode)
        try c.encode(vfs, forKey: .vfs)
    }
}

extension VirtualFunction {
    enum CodingKeys: String, CodingKey {
        case index, pciAddress, driver, netdev, iommuGroup, iommuGroupDevices, libvirtNodeDevice, live
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(index, forKey: .index)
        try c.encode(pciAddress, forKey: .pciAddress)
        try c.encode(driver, forKey: .driver)
        try c.encode(netdev, forKey: .netdev)
        try c.encode(iommuGroup, forKey: .iommuGroup)
        try c.encode(iommuGroupDevices, forKey: .iommuGroupDevices)
        try c.encode(libvirtNodeDevice, forKey: .libvirtNodeDevice)
        try c.encode(live, forKey: .live)
    }
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
