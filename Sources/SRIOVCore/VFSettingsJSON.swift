/// ``VFSettings`` as the JSON outputs show them (`attach --format json`'s `settings`): every
/// ``VFField`` under its name, `null` for a field left as it is. (The state database keeps
/// VFSettings' own Codable form, whose keys are the Swift property names.)
public struct VFSettingsJSON: Codable, Sendable {
    /// The settings shown.
    public var settings: VFSettings

    /// Wraps `settings`.
    public init(_ settings: VFSettings) { self.settings = settings }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: VFField.self)
        for field in VFField.allCases {
            switch field {
            case .mac: try c.encode(settings.mac, forKey: field)
            case .vlan: try c.encode(settings.vlan, forKey: field)
            case .spoofCheck: try c.encode(settings.spoofCheck, forKey: field)
            case .trust: try c.encode(settings.trust, forKey: field)
            case .linkState: try c.encode(settings.linkState, forKey: field)
            case .minTxRate: try c.encode(settings.minTxRate, forKey: field)
            case .maxTxRate: try c.encode(settings.maxTxRate, forKey: field)
            }
        }
    }

    /// Reads what ``encode(to:)`` writes (the agent's answers, read back by the CLI).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: VFField.self)
        settings = VFSettings(mac: try c.decodeIfPresent(MACAddress.self, forKey: .mac),
                              vlan: try c.decodeIfPresent(PortVLAN.self, forKey: .vlan),
                              spoofCheck: try c.decodeIfPresent(Bool.self, forKey: .spoofCheck),
                              trust: try c.decodeIfPresent(Bool.self, forKey: .trust),
                              linkState: try c.decodeIfPresent(VFLinkState.self, forKey: .linkState),
                              minTxRate: try c.decodeIfPresent(Int.self, forKey: .minTxRate),
                              maxTxRate: try c.decodeIfPresent(Int.self, forKey: .maxTxRate))
    }
}
