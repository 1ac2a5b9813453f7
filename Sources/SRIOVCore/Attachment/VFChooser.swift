/// Chooses the VF for a lease among a network's candidates, given what the state
/// database says is taken. Pure; called inside the write transaction that records the choice.
///
/// A VF qualifies when the config does not exclude it, no assignment holds it, the host
/// does not block it (``VFCandidate/hostBlock``), and its live MAC is unset or one of our
/// leases' MACs (a VF carrying some other MAC is in use outside sriovctl). The lease's
/// last VF is preferred; otherwise the first qualifying VF in the network's PF order,
/// lowest index first.
public enum VFChooser {
    /// The chosen candidate, or ``SRIOVError/Code/exhausted`` explaining, per PF, why each
    /// VF was passed over (and naming the devices that block IOMMU groups).
    ///
    /// `placement` orders the free VFs (link up first, then NUMA-local, ``VFPlacement``); the
    /// lease's last VF wins only when it is as good as the best of them. Under `numa: required`
    /// a remote VF is never chosen, and the error names the nodes that have free VFs.
    public static func choose(for lease: LeaseKey, network: String, pfs: [NetworkPF], candidates: [VFCandidate],
                              snapshot: StateSnapshot, preferred: VFKey?,
                              placement: VFPlacement = .unplaced) throws(SRIOVError) -> VFCandidate {
        var reasons: [VFKey: Reason] = [:]
        for candidate in candidates {
            if let reason = reason(candidate, snapshot: snapshot, lease: lease) { reasons[candidate.key] = reason }
        }
        let eligible = candidates.filter { reasons[$0.key] == nil }
        let ordered = placement.order(eligible)
        if let best = ordered.first {
            let sameRank = ordered.filter {
                $0.networkPF.linkIsUp == best.networkPF.linkIsUp
                    && placement.isLocal($0.networkPF) == placement.isLocal(best.networkPF)
            }
            if let preferred, let match = sameRank.first(where: { $0.key.index == preferred.index && $0.key.pf.matches(preferred.pf) }) {
                return match
            }
            return best
        }
        if !eligible.isEmpty { throw placement.refusal(network: network, lease: lease, eligible: eligible) }
        throw SRIOVError(.exhausted, "network '\(network)' has no free VF for \(lease): "
                         + explain(pfs: pfs, candidates: candidates, reasons: reasons))
    }

    /// Why a VF was passed over.
    enum Reason: Hashable {
        case excluded
        case assigned(to: LeaseKey)
        case host(String)
        case foreignMAC(MACAddress)
    }

    static func reason(_ candidate: VFCandidate, snapshot: StateSnapshot, lease: LeaseKey) -> Reason? {
        if candidate.networkPF.excludedVFs.contains(candidate.key.index) { return .excluded }
        if let holder = snapshot.assignment(of: candidate.key), holder.lease != lease { return .assigned(to: holder.lease) }
        if let block = candidate.hostBlock { return .host(block) }
        if let mac = candidate.live?.mac, !mac.isUnsetOrPlaceholder, snapshot.lease(mac: mac) == nil {
            return .foreignMAC(mac)
        }
        return nil
    }

    static func explain(pfs: [NetworkPF], candidates: [VFCandidate], reasons: [VFKey: Reason]) -> String {
        var parts: [String] = []
        var order = pfs.map(\.netdev)
        var byPF: [String: [VFCandidate]] = [:]
        for c in candidates {
            if !order.contains(c.networkPF.netdev) { order.append(c.networkPF.netdev) }
            byPF[c.networkPF.netdev, default: []].append(c)
        }
        for netdev in order {
            let list = byPF[netdev] ?? []
            if list.isEmpty {
                if let pf = pfs.first(where: { $0.netdev == netdev }), let range = pf.vfRange {
                    parts.append("\(netdev) has no VF in the network's range \(VFPoolRange.text(range)) "
                                 + "(it has \(pf.pf.vfs.count); see 'sriovctl provision')")
                } else {
                    parts.append("\(netdev) has no VFs (sriov_numvfs is 0; see 'sriovctl provision')")
                }
                continue
            }
            var excluded: [Int] = []
            var assigned: [String] = []
            var blocked: [String] = []
            for c in list {
                switch reasons[c.key] {
                case .excluded: excluded.append(c.key.index)
                case .assigned(let holder): assigned.append("\(c.key.index) (\(holder.guest))")
                case .host(let text): blocked.append("VF \(c.key.index): \(text)")
                case .foreignMAC(let mac): blocked.append("VF \(c.key.index): carries MAC \(mac) set outside sriovctl")
                case nil: break
                }
            }
            var pieces: [String] = []
            if !excluded.isEmpty { pieces.append("excluded by config: VF " + excluded.map(String.init).joined(separator: ", ")) }
            if !assigned.isEmpty { pieces.append("assigned: VF " + assigned.joined(separator: ", ")) }
            if !blocked.isEmpty {
                let shown = blocked.prefix(4).joined(separator: "; ")
                pieces.append(blocked.count > 4 ? "\(shown); and \(blocked.count - 4) more blocked" : shown)
            }
            parts.append("\(netdev) (\(list.count) VFs): " + pieces.joined(separator: "; "))
        }
        return parts.isEmpty ? "it has no PFs" : parts.joined(separator: " | ")
    }
}
