/// Provisioning's part of VF pools by range: the VFs of a network's range on a PF
/// (`pfs: ["eth0#0-7"]`) get that network's defaults (its `vf_defaults` and `vlan`), over
/// the PF's `vf_defaults` and under the PF's per-VF overrides (and the guests' settings).
/// A network listing a PF without a range sets no provisioning defaults, as before.
public enum NetworkPoolSettings {
    /// `pfConfig` with each pool's settings folded into its per-VF overrides. When the
    /// networks' ranges on this PF overlap (``NetworkPoolOverlap``), nothing is folded and
    /// the error goes to `notes`.
    public static func apply(_ networks: [NetworkDefinition], to pfConfig: PFConfig, observed: ObservedPF,
                             in all: [ObservedPF], notes: inout [String]) -> PFConfig {
        var pools: [(range: ClosedRange<Int>, settings: VFSettings)] = []
        for network in networks {
            for selector in network.pfs {
                guard let range = network.vfRanges[selector], PFMatcher.matches(selector, observed) else { continue }
                pools.append((range, network.poolSettings))
            }
        }
        guard !pools.isEmpty else { return pfConfig }
        do {
            try NetworkPoolOverlap.check(networks) { selector in
                PFMatcher.index(of: selector, in: all).map { all[$0].device }
            }
        } catch {
            notes.append("\(error.message); the networks' VF defaults are not applied to \(observed.label)")
            return pfConfig
        }
        var result = pfConfig
        for (range, settings) in pools where !settings.isEmpty {
            for index in range where index < pfConfig.numVFs {
                result.vfOverrides[index] = settings.merging(pfConfig.vfOverrides[index] ?? VFSettings())
            }
        }
        return result
    }
}
