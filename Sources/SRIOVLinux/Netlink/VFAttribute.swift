public import SRIOVCore

/// The kernel's VF attributes, their order and names: one definition in the core.
typealias VFAttribute = VFKernelAttribute

/// A VF's transmit rate as `IFLA_VF_RATE` carries it: both limits together.
struct VFRate: Hashable, Sendable {
    /// Minimum Mbps (0: none).
    var min: Int
    /// Maximum Mbps (0: unlimited).
    var max: Int
}

/// What is sent for one VF: the requested settings with the rate completed from the
/// VF's current state (read-modify-write), ready to encode.
struct VFWireSettings: Hashable, Sendable {
    /// VF index.
    var index: Int
    /// Administrative MAC.
    var mac: MACAddress?
    /// Port VLAN; 802.1ad goes out as `IFLA_VF_VLAN_LIST`, 802.1Q as `IFLA_VF_VLAN`.
    var vlan: PortVLAN?
    /// Both rate limits.
    var rate: VFRate?
    /// Spoof checking.
    var spoofCheck: Bool?
    /// Link state.
    var linkState: VFLinkState?
    /// Trust.
    var trust: Bool?
    /// The `VFSettings` field names the user asked for, per attribute (`rate` may be
    /// `minTxRate`, `maxTxRate` or both).
    var fields: [VFAttribute: [String]] = [:]

    /// Resolves `settings` for VF `index` against its `current` state (rates keep the
    /// other limit). Throws when the resulting rate pair is inverted.
    init(index: Int, settings: VFSettings, current: VFState?, pf: String) throws(SRIOVError) {
        self.index = index
        if let mac = settings.mac { self.mac = mac; fields[.mac] = ["mac"] }
        if let vlan = settings.vlan { self.vlan = vlan; fields[.vlan] = ["vlan"] }
        if let pair = try VFKernelAttribute.ratePair(for: settings, current: current, pf: pf, index: index) {
            rate = VFRate(min: pair.min, max: pair.max)
            fields[.rate] = VFKernelAttribute.rate.fieldNames(in: settings)
        }
        if let spoofCheck = settings.spoofCheck { self.spoofCheck = spoofCheck; fields[.spoofCheck] = ["spoofCheck"] }
        if let linkState = settings.linkState { self.linkState = linkState; fields[.linkState] = ["linkState"] }
        if let trust = settings.trust { self.trust = trust; fields[.trust] = ["trust"] }
    }

    /// The attributes present, in the kernel's order.
    var attributes: [VFAttribute] {
        VFAttribute.allCases.filter { fields[$0] != nil }
    }

    /// The user-facing field names of `attributes`, in the kernel's order.
    func fieldNames(_ attributes: [VFAttribute]) -> [String] {
        attributes.flatMap { fields[$0] ?? [] }
    }

    /// These settings with only `attribute` kept.
    func only(_ attribute: VFAttribute) -> VFWireSettings {
        var copy = self
        copy.fields = fields.filter { $0.key == attribute }
        if attribute != .mac { copy.mac = nil }
        if attribute != .vlan { copy.vlan = nil }
        if attribute != .rate { copy.rate = nil }
        if attribute != .spoofCheck { copy.spoofCheck = nil }
        if attribute != .linkState { copy.linkState = nil }
        if attribute != .trust { copy.trust = nil }
        return copy
    }
}
