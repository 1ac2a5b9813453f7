/// Free VFs that still carry a MAC.
///
/// A VF is free when no assignment holds it and no libvirt guest's definition uses it (a VF
/// in an unknown guest's definition is reported as an orphan interface instead). The zero
/// MAC and libvirt's placeholder `02:00:00:00:00:00` are what a free VF should carry.
enum StaleVFRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for observed in context.vfs where context.placementByVF[observed.id] == nil {
            guard let mac = observed.vf.live?.mac, !mac.isUnsetOrPlaceholder else { continue }
            if !context.guests(using: observed.id).isEmpty { continue }
            let fix = [context.repairCommand([observed.id])]
            let vfObject = context.object(vf: observed.id)
            if let leases = context.leasesByMAC[mac] {
                let holders = leases.sorted().map { "\($0.guest) (\($0.network))" }.joined(separator: ", ")
                findings.append(context.finding(
                    .staleLeasedMAC, .error,
                    "\(observed.id) is free but carries MAC \(mac), leased to \(holders)",
                    objects: [vfObject, context.object(mac: mac)] + leases.sorted().map { context.object(lease: $0) },
                    fix: fix))
            } else if let former = context.quarantineByMAC[mac] {
                findings.append(context.finding(
                    .staleLeasedMAC, .error,
                    "\(observed.id) is free but carries MAC \(mac), dropped by departed guest \(former.formerGuest) "
                        + "(\(former.network)) and quarantined",
                    objects: [vfObject, context.object(mac: mac)], fix: fix))
            } else {
                findings.append(context.finding(
                    .staleMAC, .warning,
                    "\(observed.id) is free but carries MAC \(mac)",
                    objects: [vfObject, context.object(mac: mac)], fix: fix))
            }
        }
        return findings
    }
}
