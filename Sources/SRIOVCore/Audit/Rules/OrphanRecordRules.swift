/// Database records whose guest libvirt no longer knows: assignments (the VF is held for
/// nobody) and leases without an assignment (the MAC is held for nobody).
///
/// Skipped when libvirt was not reachable.
enum OrphanRecordRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        guard let guests = context.guestByName else { return [] }
        var findings: [AuditFinding] = []
        for placement in context.placements where guests[placement.assignment.lease.guest] == nil {
            let lease = placement.assignment.lease
            findings.append(context.finding(
                .orphanAssignment, .error,
                "\(placement.vf) is assigned to guest \(lease.guest) (\(lease.network)), which libvirt does not know",
                objects: [context.object(guest: lease.guest), context.object(assignment: placement),
                          context.object(lease: lease), context.object(vf: placement.vf)],
                fix: [context.fixes.forget(lease, guestExists: false)]))
        }
        for lease in context.input.leases.sorted(by: { $0.key < $1.key })
        where guests[lease.key.guest] == nil && context.placementByLease[lease.key] == nil {
            findings.append(context.finding(
                .orphanLease, .warning,
                "MAC \(lease.mac) is leased to guest \(lease.key.guest) (\(lease.key.network)), which libvirt does not know",
                objects: [context.object(guest: lease.key.guest), context.object(lease: lease.key),
                          context.object(mac: lease.mac)],
                fix: [context.fixes.forget(lease.key, guestExists: false)]))
        }
        return findings
    }
}
