/// VF settings as typed on the command line or in a `vf apply` line, before parsing.
public struct VFSettingsInput {
    public var mac: String?
    public var vlan: Int?
    public var qos: Int?
    public var proto: String?
    public var trust: Bool?
    public var spoofCheck: Bool?
    public var linkState: String?
    public var minRate: Int?
    public var maxRate: Int?

    /// Settings as typed; `nil` leaves a setting as it is.
    public init(mac: String? = nil, vlan: Int? = nil, qos: Int? = nil, proto: String? = nil, trust: Bool? = nil,
                spoofCheck: Bool? = nil, linkState: String? = nil, minRate: Int? = nil, maxRate: Int? = nil) {
        self.mac = mac
        self.vlan = vlan
        self.qos = qos
        self.proto = proto
        self.trust = trust
        self.spoofCheck = spoofCheck
        self.linkState = linkState
        self.minRate = minRate
        self.maxRate = maxRate
    }

    /// Parsed settings; text that does not parse is an error naming `place` ("eth3 VF 2").
    /// Ranges are checked later by `VFSettings.validate(vfIndex:pf:)`.
    public func settings(at place: @autoclosure () -> String) throws(SRIOVError) -> VFSettings {
        var settings = VFSettings()
        if let mac {
            guard let value = MACAddress(mac) else {
                throw SRIOVError(.invalidValue, "\(place()): '\(TextRules.escaped(mac))' is not a MAC address (expected aa:bb:cc:dd:ee:ff)")
            }
            settings.mac = value
        }
        if vlan == nil && (qos != nil || proto != nil) {
            throw SRIOVError(.invalidValue, "\(place()): a VLAN QoS or protocol needs a VLAN id")
        }
        if let vlan {
            var protocolValue = VLANProtocol.ieee8021Q
            if let proto {
                guard let value = VLANProtocol(text: proto) else {
                    throw SRIOVError(.invalidValue, "\(place()): VLAN protocol '\(TextRules.escaped(proto))' is not 802.1Q or 802.1ad")
                }
                protocolValue = value
            }
            settings.vlan = PortVLAN(id: vlan, qos: qos ?? 0, proto: protocolValue)
        }
        settings.trust = trust
        settings.spoofCheck = spoofCheck
        if let linkState {
            guard let value = VFLinkState(rawValue: linkState.lowercased()) else {
                throw SRIOVError(.invalidValue, "\(place()): link state '\(TextRules.escaped(linkState))' is not auto, enable or disable")
            }
            settings.linkState = value
        }
        settings.minTxRate = minRate
        settings.maxTxRate = maxRate
        return settings
    }
}
