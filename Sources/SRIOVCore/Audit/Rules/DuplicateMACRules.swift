/// Duplicate MACs on one host: on two VFs, on a VF and a host interface, in two leases.
///
/// The zero MAC and libvirt's `02:00:00:00:00:00` placeholder mean "unset" and never count.
enum DuplicateMACRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        let vfsByMAC = liveVFsByMAC(context)
        return onVFs(vfsByMAC, context) + onHostInterfaces(vfsByMAC, context) + inLeases(context)
    }

    /// Live VFs carrying a MAC, grouped by MAC (PF and index order inside a group).
    private static func liveVFsByMAC(_ context: AuditContext) -> [MACAddress: [AuditVFID]] {
        var byMAC: [MACAddress: [AuditVFID]] = [:]
        for observed in context.vfs {
            guard let mac = observed.vf.live?.mac, !mac.isUnsetOrPlaceholder else { continue }
            byMAC[mac, default: []].append(observed.id)
        }
        return byMAC
    }

    /// The VFs in `vfs` that should not carry `mac` (free, or assigned another MAC), and the
    /// placements that legitimately expect it.
    private static func split(_ vfs: [AuditVFID], mac: MACAddress, _ context: AuditContext)
        -> (wrong: [AuditVFID], expecting: [AuditContext.Placement]) {
        var wrong: [AuditVFID] = []
        var expecting: [AuditContext.Placement] = []
        for vf in vfs {
            if let placement = context.placementByVF[vf], placement.expected.mac == mac {
                expecting.append(placement)
            } else {
                wrong.append(vf)
            }
        }
        return (wrong, expecting)
    }

    private static func onVFs(_ vfsByMAC: [MACAddress: [AuditVFID]], _ context: AuditContext) -> [AuditFinding] {
        vfsByMAC.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { mac, vfs in
            let (wrong, expecting) = split(vfs, mac: mac, context)
            var fix: [AuditFixCommand] = []
            if !wrong.isEmpty {
                fix.append(context.repairCommand(wrong))
            } else {
                // Every VF expects it: two leases hold this MAC; give all but the first a new one.
                for placement in expecting.dropFirst() {
                    fix += context.fixes.newMAC(for: placement.assignment.lease, assigned: true)
                }
            }
            let labels = vfs.map { context.object(vf: $0).label }
            return context.finding(
                .duplicateMACOnVFs, .critical,
                "MAC \(mac) is live on \(vfs.count) VFs: \(labels.joined(separator: ", "))",
                objects: [context.object(mac: mac)] + vfs.map { context.object(vf: $0) }, fix: fix)
        }
    }

    private static func onHostInterfaces(_ vfsByMAC: [MACAddress: [AuditVFID]], _ context: AuditContext) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for interface in context.input.hostInterfaces.sorted(by: { $0.name < $1.name }) {
            let mac = interface.mac
            guard !mac.isUnsetOrPlaceholder, var vfs = vfsByMAC[mac] else { continue }
            if let own = interface.vf {
                // A VF's own netdev (or a VLAN on it) shares that VF's MAC; if the VF carries
                // it, a clash with other VFs is already a VF-to-VF duplicate.
                if vfs.contains(own) { continue }
                vfs.removeAll { $0 == own }
            }
            guard !vfs.isEmpty else { continue }
            let (wrong, expecting) = split(vfs, mac: mac, context)
            var fix: [AuditFixCommand] = wrong.isEmpty ? [] : [context.repairCommand(wrong)]
            for placement in expecting {
                fix += context.fixes.newMAC(for: placement.assignment.lease, assigned: true)
            }
            let labels = vfs.map { context.object(vf: $0).label }
            findings.append(context.finding(
                .duplicateMACOnHostInterface, .critical,
                "MAC \(mac) of host interface \(interface.name) is also live on \(labels.joined(separator: ", "))",
                objects: [context.object(mac: mac), context.object(hostInterface: interface)]
                    + vfs.map { context.object(vf: $0) },
                fix: fix))
        }
        return findings
    }

    private static func inLeases(_ context: AuditContext) -> [AuditFinding] {
        context.leasesByMAC.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { mac, keys in
            let sorted = keys.sorted()
            let fix = sorted.dropFirst().flatMap { context.fixes.newMAC(for: $0, assigned: context.placementByLease[$0] != nil) }
            let labels = sorted.map { context.object(lease: $0).label }
            return context.finding(
                .duplicateMACInLeases, .error,
                "MAC \(mac) is leased \(keys.count) times: \(labels.joined(separator: ", "))",
                objects: [context.object(mac: mac)] + sorted.map { context.object(lease: $0) }, fix: fix)
        }
    }
}
