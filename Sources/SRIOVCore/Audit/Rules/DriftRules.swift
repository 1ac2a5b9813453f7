/// Assigned VFs whose live state differs from the database, and assigned VFs the kernel
/// no longer reports.
///
/// A PF whose VFs could not be read (``AuditPF/readError``) is skipped: its notice says why.
enum DriftRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for placement in context.placements {
            let lease = placement.assignment.lease
            if placement.assignment.inProgress { continue }
            if let pf = placement.pf, pf.readError != nil { continue }
            guard let live = placement.observed?.live else {
                let why = placement.pf == nil
                    ? "this host has no PF \(placement.vf.pf)"
                    : "\(placement.vf.pf) does not report VF \(placement.vf.index)"
                findings.append(context.finding(
                    .assignedVFMissing, .error,
                    "\(placement.vf) is assigned to guest \(lease.guest) (\(lease.network)) but \(why)",
                    objects: [context.object(vf: placement.vf), context.object(assignment: placement),
                              context.object(guest: lease.guest)],
                    fix: [context.fixes.detach(lease), context.fixes.attach(lease)]))
                continue
            }
            guard let drift = VFDrift(expected: placement.expected, live: live) else { continue }
            findings.append(context.finding(
                .drift, drift.severity,
                "\(placement.vf) (guest \(lease.guest), \(lease.network)) drifted: \(drift.summary)",
                objects: [context.object(vf: placement.vf), context.object(assignment: placement),
                          context.object(guest: lease.guest)],
                fix: [context.repairCommand([placement.vf])]))
        }
        return findings
    }
}
