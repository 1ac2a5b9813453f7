/// One field of one VF that a pass changes: what the agent logs (`old → new`), journals and
/// counts per PF and field.
public struct VFFieldChange: Hashable, Sendable, CustomStringConvertible {
    /// The field's ``VFField`` name, the one users meet everywhere else (JSON keys, audit
    /// findings): `mac`, `vlan`, `spoofchk`, `trust`, `linkState`, `minTxRate`, `maxTxRate`.
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
        func add(_ field: VFField, _ old: String?, _ new: String?) {
            guard let new, old != new else { return }
            result.append(VFFieldChange(field: field.name, old: old ?? "?", new: new))
        }
        add(.mac, live.map { "\($0.mac)" }, settings.mac.map { "\($0)" })
        add(.vlan, live.map { describe($0.vlan) }, settings.vlan.map(describe))
        add(.spoofCheck, live?.spoofCheck.map(onOff), settings.spoofCheck.map(onOff))
        add(.trust, live?.trust.map(onOff), settings.trust.map(onOff))
        add(.linkState, live?.linkState.map(\.rawValue), settings.linkState.map(\.rawValue))
        add(.minTxRate, live.map { "\($0.minTxRate ?? 0)" }, settings.minTxRate.map { "\($0)" })
        add(.maxTxRate, live.map { "\($0.maxTxRate ?? 0)" }, settings.maxTxRate.map { "\($0)" })
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
