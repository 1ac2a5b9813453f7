/// Two networks may share a PF only with disjoint VF ranges (`eth0#0-7` and `eth0#8-31`):
/// otherwise one VF could be handed out for either network and provisioned for both.
///
/// Checked twice: when the config is loaded (PFs written the same way) and on the host,
/// where `eth0` and `0000:3b:00.0` may be the same PF. The error names both places
/// (`file:line: networks[1].pfs[0]`, from ``NetworkDefinition/pfSources``).
public enum NetworkPoolOverlap {
    /// Throws `.invalidConfig` for the first overlap between networks whose PF selectors
    /// are written the same way.
    public static func check(_ networks: [NetworkDefinition]) throws(SRIOVError) {
        try check(networks) { $0.description }
    }

    /// Throws `.invalidConfig` for the first overlap between networks whose PFs are the same
    /// device on this host (`identity` maps a selector to the PF's sysfs device, `nil` when it
    /// matches nothing here). A PF shared without any range (every VF in both networks) is
    /// allowed, as it always was; once one side has a range, the other must have a disjoint one.
    /// With `involving`, only overlaps that concern that network count (an attach on one
    /// network is not refused for two others).
    public static func check(_ networks: [NetworkDefinition], involving: String? = nil,
                             identity: (PFSelector) -> String?) throws(SRIOVError) {
        struct Use {
            var network: NetworkDefinition
            var selector: PFSelector
            var range: ClosedRange<Int>?
        }
        var uses: [String: [Use]] = [:]
        var order: [String] = []
        for network in networks {
            var seen: Set<String> = []
            for selector in network.pfs {
                guard let id = identity(selector), seen.insert(id).inserted else { continue }
                if uses[id] == nil { order.append(id) }
                uses[id, default: []].append(Use(network: network, selector: selector, range: network.vfRanges[selector]))
            }
        }
        for id in order {
            let list = uses[id] ?? []
            for (i, later) in list.enumerated() {
                for earlier in list[..<i] where later.range != nil || earlier.range != nil {
                    if let involving, later.network.name != involving, earlier.network.name != involving { continue }
                    let a = earlier.range ?? 0...Int.max, b = later.range ?? 0...Int.max
                    guard a.overlaps(b) else { continue }
                    let here = later.network.pfSources[later.selector].map { "\($0): " } ?? ""
                    let there = earlier.network.pfSources[earlier.selector].map { " (\($0))" } ?? ""
                    let same = later.selector == earlier.selector ? "" : " (the same PF as \(earlier.selector))"
                    throw SRIOVError(.invalidConfig, here + "network '\(later.network.name)' takes \(VFPoolRange.label(later.range)) "
                                     + "of PF \(later.selector)\(same), which overlaps \(VFPoolRange.label(earlier.range)) of network "
                                     + "'\(earlier.network.name)'\(there); networks may share a PF only with disjoint VF ranges")
                }
            }
        }
    }
}
