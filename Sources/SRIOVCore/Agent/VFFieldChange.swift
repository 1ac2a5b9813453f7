/// One field of one VF that a pass changes: what the agent logs (`old → new`), journals and
/// counts per PF and field.
public struct VFFieldChange: Hashable, Sendable, CustomStringConvertible {
    /// The field's name as the config file spells it: `mac`, `vlan`, `spoofchk`, `trust`,
    /// `link_state`, `min_rate`, `max_rate`.
    public var field: String
    /// The value before, `?` when the live state was not known.
    public var old: String
    /// The value sent.
    public var new: String

    /// Creates a change.
    public init(field: String, old: String, new: String) {
        self.field = field
        self.old = old
        self.new = new
    }

    /// `mac 02:00:00:00:00:01 → 02:5a:00:00:00:07`.
    public var description: String { "\(field) \(old) → \(new)" }

    /// The fields `settings` changes on a VF whose state is `live` (`nil`: unknown), in the
    /// kernel's order. Fields `settings` leaves alone, or sets to what `live` already has,
    /// are not listed.
    public static func changes(from live: VFState?, to settings: VFSettings) -> [VFFieldChange] {
        var result: [VFFieldChange] = []
        func add(_ field: String, _ old: String?, _ new: String?) {
            guard let new, old != new else { return }
            result.append(VFFieldChange(field: field, old: old ?? "?", new: new))
        }
        add("mac", live.map { "\($0.mac)" }, settings.mac.map { "\($0)" })
        add("vlan", live.map { describe($0.vlan) }, settings.vlan.map(describe))
        add("spoofchk", live?.spoofCheck.map(onOff), settings.spoofCheck.map(onOff))
        add("trust", live?.trust.map(onOff), settings.trust.map(onOff))
        add("link_state", live?.linkState.map(\.rawValue), settings.linkState.map(\.rawValue))
        add("min_rate", live.map { "\($0.minTxRate ?? 0)" }, settings.minTxRate.map { "\($0)" })
        add("max_rate", live.map { "\($0.maxTxRate ?? 0)" }, settings.maxTxRate.map { "\($0)" })
        return result
    }

    private static func onOff(_ value: Bool) -> String { value ? "on" : "off" }

    private static func describe(_ vlan: PortVLAN) -> String {
        var text = "\(vlan.id)"
        if vlan.qos != 0 { text += " qos \(vlan.qos)" }
        if vlan.proto == .ieee8021AD { text += " 802.1ad" }
        return text
    }
}
