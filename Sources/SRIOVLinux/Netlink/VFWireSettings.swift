import SRIOVCore

/// The kernel's VF attributes, their order and names: one definition in the core.
typealias VFAttribute = VFKernelAttribute

/// What is sent for one VF in `RTM_SETLINK`: the requested ``VFSettings`` with the rate pair
/// completed from the VF's current state (read-modify-write), ready to encode.
struct VFWireSettings: Hashable, Sendable {
    /// VF index.
    var index: Int
    /// What is sent: the request, with both rates set whenever one is (the kernel takes
    /// the pair together).
    var settings: VFSettings
    /// The fields the user asked for (`rate` may stand for `minTxRate`, `maxTxRate` or both).
    var requested: Set<VFField>

    /// Resolves `settings` for VF `index` against its `current` state (rates keep the
    /// other limit). Throws when the resulting rate pair is inverted.
    init(index: Int, settings: VFSettings, current: VFState?, pf: String) throws(SRIOVError) {
        self.index = index
        self.settings = settings
        self.requested = Set(settings.fields)
        if let pair = try VFKernelAttribute.ratePair(for: settings, current: current, pf: pf, index: index) {
            self.settings.minTxRate = pair.min
            self.settings.maxTxRate = pair.max
        }
    }

    /// The attributes present, in the kernel's order.
    var attributes: [VFAttribute] {
        VFAttribute.allCases.filter { attribute in attribute.fields.contains { requested.contains($0) } }
    }

    /// The user-facing field names (``VFField/name``) of `attributes`, in the kernel's order.
    func fieldNames(_ attributes: [VFAttribute]) -> [String] {
        attributes.flatMap { $0.fields.filter(requested.contains).map(\.name) }
    }

    /// The rate pair to send (present when a rate was asked for).
    var rate: (min: Int, max: Int)? {
        requested.contains(.minTxRate) || requested.contains(.maxTxRate)
            ? (settings.minTxRate ?? 0, settings.maxTxRate ?? 0) : nil
    }

    /// These settings with only `attribute` kept.
    func only(_ attribute: VFAttribute) -> VFWireSettings {
        var copy = self
        copy.requested = requested.filter { $0.kernelAttribute == attribute }
        copy.settings = VFField.allCases.reduce(settings) { $1.kernelAttribute == attribute ? $0 : $0.removing($1) }
        return copy
    }
}
