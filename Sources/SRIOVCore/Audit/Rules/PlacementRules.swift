/// Where assigned VFs sit (issue 16): a VF whose PF is on another NUMA node than its guest's
/// memory (`policy-numa-remote`), and a VF outside its network's VF range
/// (`policy-vf-outside-pool`, after the config changed).
///
/// A PF on an unknown node (sysfs -1) and a guest without `<numatune><memory nodeset>` are not
/// judged: the rule reports only what it knows.
enum PlacementRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        numaRemote(context) + outsidePool(context)
    }

    private static func numaRemote(_ context: AuditContext) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for placement in context.placements.sorted(by: { $0.assignment.lease < $1.assignment.lease }) {
            let key = placement.assignment.lease
            guard let node = placement.pf?.numaNode, let guest = context.libvirtGuest(named: key.guest),
                  let tuning = guest.numa, let memory = tuning.memoryNodes, !memory.contains(node) else { continue }
            let nodes = memory.sorted().map(String.init).joined(separator: ",")
            findings.append(context.finding(
                .numaRemote, .warning,
                "guest \(key.guest) (\(key.network)) holds \(placement.vf) on NUMA node \(node), but its memory is on "
                    + "node\(memory.count == 1 ? "" : "s") \(nodes) (libvirt <numatune> nodeset \(tuning.memoryNodeset ?? nodes)): "
                    + "every packet crosses between sockets",
                objects: [context.object(assignment: placement), context.object(vf: placement.vf)]))
        }
        return findings
    }

    private static func outsidePool(_ context: AuditContext) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for placement in context.placements.sorted(by: { $0.assignment.lease < $1.assignment.lease }) {
            let key = placement.assignment.lease
            guard let network = context.input.networks.first(where: { $0.name == key.network }),
                  !network.vfRanges.isEmpty, let pf = placement.pf else { continue }
            let range = network.vfRanges.first { selector, _ in
                switch selector {
                case .netdev(let name): name == pf.name
                case .pciAddress(let address): address == pf.pciAddress
                case .permanentMAC: false
                }
            }?.value
            guard let range, !range.contains(placement.vf.index) else { continue }
            findings.append(context.finding(
                .vfOutsidePool, .warning,
                "guest \(key.guest) (\(key.network)) holds \(placement.vf), outside the network's "
                    + "\(VFPoolRange.label(range)) of \(pf.name) (the config changed after it was attached)",
                objects: [context.object(assignment: placement), context.object(vf: placement.vf)]))
        }
        return findings
    }
}
