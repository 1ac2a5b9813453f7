/// Puts settings back on a VF and checks that they took, for rollbacks, detach and repair.
///
/// A failed attach may have applied only some attributes (the kernel stops at the first
/// error), and some drivers refuse an attribute they never had changed (EOPNOTSUPP for
/// trust). So the restorer reads the VF first and sends only what differs; if that
/// request fails it sends each field on its own; then it reads the VF back and succeeds
/// when every field has the wanted value, whatever the individual requests said.
public struct VFSettingsRestorer: Sendable {
    let links: any VFLinkControlling

    /// Creates a restorer over `links`.
    public init(links: any VFLinkControlling) { self.links = links }

    /// What a restore did.
    public struct Outcome: Hashable, Sendable {
        /// Fields that were sent (empty when the VF already matched).
        public var sent: [String]
        /// Driver notes (e.g. the zero-MAC fallback).
        public var notes: [String]
    }

    /// Brings VF `index` of `netdev` to `target`. Throws naming the fields that still differ.
    public func restore(_ target: VFSettings, vf index: Int, on netdev: String) throws(SRIOVError) -> Outcome {
        let before = try? links.readPF(netdev).vf(index)
        guard let change = VFSettingsDiff.change(to: target, from: before) else { return Outcome(sent: [], notes: []) }
        let report = links.apply([VFChange(index: index, settings: change)], on: netdev)
        var notes = report.outcomes.flatMap(\.notes)
        guard let failure = report.failures.first else { return Outcome(sent: change.fieldNames, notes: notes) }

        // One field at a time, then judge by what the VF reports.
        for field in change.split() {
            notes += links.apply([VFChange(index: index, settings: field)], on: netdev).outcomes.flatMap(\.notes)
        }
        let after: VFState?
        do { after = try links.readPF(netdev).vf(index) } catch {
            throw SRIOVError("\(netdev) VF \(index): cannot read the VF back after restoring: \(error.message)", causedBy: error)
        }
        if let left = VFSettingsDiff.change(to: target, from: after) {
            throw SRIOVError(failure.error?.code ?? .system,
                             "\(netdev) VF \(index): could not restore \(left.fieldNames.joined(separator: ", ")) "
                             + "(\(failure.error?.message ?? "unknown error"))")
        }
        return Outcome(sent: change.fieldNames, notes: notes)
    }
}

extension VFSettings {
    /// One settings value per set field (rates stay together: the kernel sets them together).
    func split() -> [VFSettings] {
        var parts: [VFSettings] = []
        if let mac { parts.append(VFSettings(mac: mac)) }
        if let vlan { parts.append(VFSettings(vlan: vlan)) }
        if minTxRate != nil || maxTxRate != nil { parts.append(VFSettings(minTxRate: minTxRate, maxTxRate: maxTxRate)) }
        if let spoofCheck { parts.append(VFSettings(spoofCheck: spoofCheck)) }
        if let linkState { parts.append(VFSettings(linkState: linkState)) }
        if let trust { parts.append(VFSettings(trust: trust)) }
        return parts
    }
}
