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

extension VFState: ExplicitNullEncoding {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case index, mac, vlans, spoofCheck = "spoofchk", trust, linkState, minTxRate, maxTxRate, rssQuery
    }

    static var renamedProperties: [String: String] { ["spoofchk": "spoofCheck"] }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}
