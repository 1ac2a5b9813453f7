/// ``VFSettings`` as the JSON outputs show them (`attach --format json`'s `settings`): every
/// ``VFField`` under its name, `null` for a field left as it is. (The state database keeps
/// VFSettings' own Codable form, whose keys are the Swift property names.)
public struct VFSettingsJSON: Encodable, Sendable {
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
}
