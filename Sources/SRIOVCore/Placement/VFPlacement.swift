/// Where a guest's VF should be: the guest's NUMA nodes with the network's policy, and
/// whether PFs with their link up come first. ``VFChooser`` orders and filters the free VFs
/// with it; ``notes(for:)`` says what the user must know about the VF it chose.
///
/// Order among free VFs: a PF whose link is up before one that is down (`prefer_link_up`),
/// then (policy `preferred`) a PF on one of the guest's nodes before a remote one, then the
/// network's PF order and the VF index. A PF whose node is unknown (sysfs `numa_node` -1)
/// counts as local. With policy `required` a remote PF is never chosen.
public struct VFPlacement: Hashable, Sendable {
    /// The guest's NUMA nodes; `nil` when unknown (then NUMA plays no part).
    public var guestNodes: Set<Int>?
    /// Where ``guestNodes`` came from, for messages (`--numa-node 1`, `libvirt <numatune> nodeset 1`).
    public var guestNodesSource: String
    /// The network's policy.
    public var policy: NUMAPolicy
    /// The network's `prefer_link_up`.
    public var preferLinkUp: Bool

    /// Creates a placement.
    public init(guestNodes: Set<Int>? = nil, guestNodesSource: String = "", policy: NUMAPolicy = .preferred,
                preferLinkUp: Bool = true) {
        self.guestNodes = guestNodes
        self.guestNodesSource = guestNodesSource
        self.policy = policy
        self.preferLinkUp = preferLinkUp
    }

    /// No guest nodes, link preferred: the placement before NUMA was known.
    public static let unplaced = VFPlacement()

    /// True when NUMA decides anything: a policy other than ignore and known guest nodes.
    public var weighsNUMA: Bool { policy != .ignore && guestNodes != nil }

    /// True when `pf` is on one of the guest's nodes, on an unknown node, or NUMA plays no part.
    public func isLocal(_ pf: NetworkPF) -> Bool {
        guard weighsNUMA, let guestNodes, let node = pf.pf.numaNode else { return true }
        return guestNodes.contains(node)
    }

    /// The free candidates a guest may get, best first (see the type's description).
    public func order(_ eligible: [VFCandidate]) -> [VFCandidate] {
        let allowed = policy == .required ? eligible.filter { isLocal($0.networkPF) } : eligible
        func rank(_ candidate: VFCandidate) -> Int {
            var rank = 0
            if preferLinkUp && !candidate.networkPF.linkIsUp { rank += 2 }
            if !isLocal(candidate.networkPF) { rank += 1 }
            return rank
        }
        return allowed.enumerated().sorted { a, b in
            let (ra, rb) = (rank(a.element), rank(b.element))
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }

    /// `web1 is on NUMA node 0 (--numa-node 0)`.
    public var guestText: String {
        guard let guestNodes else { return "the guest's NUMA node is unknown" }
        let nodes = guestNodes.sorted().map(String.init).joined(separator: ",")
        return "the guest is on NUMA node\(guestNodes.count == 1 ? "" : "s") \(nodes)"
            + (guestNodesSource.isEmpty ? "" : " (\(guestNodesSource))")
    }

    /// The refusal under policy `required` when free VFs exist but none is local: names the
    /// nodes that do have free VFs, with how many each.
    public func refusal(network: String, lease: LeaseKey, eligible: [VFCandidate]) -> SRIOVError {
        var free: [Int: Int] = [:]
        for candidate in eligible { if let node = candidate.networkPF.pf.numaNode { free[node, default: 0] += 1 } }
        let where_ = free.keys.sorted().map { "node \($0) (\(free[$0]!) free)" }.joined(separator: ", ")
        return SRIOVError(.exhausted, "network '\(network)' has no free VF for \(lease) on NUMA node"
                          + "\(guestNodes?.count == 1 ? "" : "s") \((guestNodes ?? []).sorted().map(String.init).joined(separator: ","))"
                          + " (numa: required" + (guestNodesSource.isEmpty ? "" : "; the guest's node from \(guestNodesSource)")
                          + "); free VFs are on NUMA \(where_)")
    }

    /// What the user must know about `chosen`: a PF on an unknown node, a remote PF (there was
    /// no local one free), a PF whose link is down. Empty when nothing is worth saying.
    public func notes(for chosen: VFCandidate) -> [String] {
        var notes: [String] = []
        let pf = chosen.networkPF
        if weighsNUMA, pf.pf.numaNode == nil {
            notes.append("\(pf.netdev)'s NUMA node is unknown (sysfs numa_node is -1); treated as local to the guest")
        } else if !isLocal(pf), let node = pf.pf.numaNode {
            notes.append("\(chosen.displayName) is on NUMA node \(node), remote from the guest: \(guestText), "
                         + "and no VF local to it is free (numa: preferred)")
        }
        if !pf.linkIsUp {
            notes.append("\(pf.netdev)'s link is down (\(pf.status.operState)): the guest gets \(chosen.displayName) "
                         + "but no traffic until the link comes up"
                         + (preferLinkUp ? " (no VF on a PF with link up was free)" : " (prefer_link_up is off)"))
        }
        return notes
    }
}
