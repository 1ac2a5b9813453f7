/// How a VF's live state differs from the settings the database says were applied.
///
/// Only fields the database manages (non-`nil` in the settings) and the driver reports
/// (non-`nil` in the state) are compared: a driver that does not report trust cannot drift
/// on trust. Shared by the drift rule and the `--fix` planner, so both agree on what differs.
struct VFDrift: Hashable, Sendable {
    /// One differing field.
    struct Field: Hashable, Sendable {
        /// `mac`, `vlan`, `qos`, `vlan-protocol`, `spoofchk`, `trust`, `link-state`, `min-tx-rate`, `max-tx-rate`.
        var name: String
        /// Value in the database.
        var expected: String
        /// Value on the VF.
        var live: String
        /// How bad this field's drift is on its own.
        var severity: AuditSeverity
    }

    /// The differing fields, in a fixed order.
    var fields: [Field]
    /// Only the differing fields, set to the database's values: what re-applying sends.
    var repair: VFSettings

    /// Compares `expected` with `live`; `nil` when they agree.
    init?(expected: VFSettings, live: VFState) {
        var fields: [Field] = []
        var repair = VFSettings()
        if let mac = expected.mac, mac != live.mac {
            fields.append(Field(name: VFField.mac.name, expected: "\(mac)", live: "\(live.mac)", severity: .error))
            repair.mac = mac
        }
        if let vlan = expected.vlan, vlan != live.vlan {
            let now = live.vlan
            if vlan.id != now.id {
                fields.append(Field(name: VFField.vlan.name, expected: "\(vlan.id)", live: "\(now.id)", severity: .error))
            }
            if vlan.proto != now.proto && (vlan.id != 0 || now.id != 0) {
                fields.append(Field(name: "vlan-protocol", expected: "\(vlan.proto)", live: "\(now.proto)",
                                    severity: .error))
            }
            if vlan.qos != now.qos {
                fields.append(Field(name: "qos", expected: "\(vlan.qos)", live: "\(now.qos)", severity: .warning))
            }
            repair.vlan = vlan
        }
        if let want = expected.spoofCheck, let have = live.spoofCheck, want != have {
            fields.append(Field(name: VFField.spoofCheck.name, expected: Self.onOff(want), live: Self.onOff(have), severity: .warning))
            repair.spoofCheck = want
        }
        if let want = expected.trust, let have = live.trust, want != have {
            fields.append(Field(name: VFField.trust.name, expected: Self.onOff(want), live: Self.onOff(have), severity: .warning))
            repair.trust = want
        }
        if let want = expected.linkState, let have = live.linkState, want != have {
            fields.append(Field(name: VFField.linkState.name, expected: "\(want)", live: "\(have)", severity: .warning))
            repair.linkState = want
        }
        if let want = expected.minTxRate, let have = live.minTxRate, want != have {
            fields.append(Field(name: VFField.minTxRate.name, expected: "\(want)", live: "\(have)", severity: .warning))
            repair.minTxRate = want
        }
        if let want = expected.maxTxRate, let have = live.maxTxRate, want != have {
            fields.append(Field(name: VFField.maxTxRate.name, expected: "\(want)", live: "\(have)", severity: .warning))
            repair.maxTxRate = want
        }
        guard !fields.isEmpty else { return nil }
        self.fields = fields
        self.repair = repair
    }

    /// The worst field's severity.
    var severity: AuditSeverity { fields.map(\.severity).max() ?? .warning }

    /// `mac 02:5a:00:00:00:01 in the database, 02:5a:00:00:00:99 on the VF; trust off ..., on ...`.
    var summary: String {
        fields.map { "\($0.name) \($0.expected) in the database, \($0.live) on the VF" }.joined(separator: "; ")
    }

    private static func onOff(_ value: Bool) -> String { value ? "on" : "off" }
}
