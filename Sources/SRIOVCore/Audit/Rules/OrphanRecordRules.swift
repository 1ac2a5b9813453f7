/// Database records whose guest libvirt no longer knows: assignments (the VF is held for
/// nobody) and leases without an assignment (the MAC is held for nobody).
///
/// A guest renamed in libvirt (same UUID as recorded) is not an orphan: it gets one
/// mismatch-guest-renamed finding per lease, whose fix records the new name and keeps the
/// MAC and the VF. Skipped when libvirt was not reachable.
enum OrphanRecordRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        guard context.guestByName != nil else { return [] }
        var findings: [AuditFinding] = []
        for placement in context.placements where context.libvirtGuest(named: placement.assignment.lease.guest) == nil {
            let lease = placement.assignment.lease
            findings.append(context.finding(
                .orphanAssignment, .error,
                "\(placement.vf) is assigned to guest \(lease.guest) (\(lease.network)), which libvirt does not know",
                objects: [context.object(guest: lease.guest), context.object(assignment: placement),
                          context.object(lease: lease), context.object(vf: placement.vf)],
                fix: [context.fixes.forget(lease, guestExists: false)]))
        }
        for lease in context.input.leases.sorted(by: { $0.key < $1.key })
        where context.libvirtGuest(named: lease.key.guest) == nil && context.placementByLease[lease.key] == nil {
            findings.append(context.finding(
                .orphanLease, .warning,
                "MAC \(lease.mac) is leased to guest \(lease.key.guest) (\(lease.key.network)), which libvirt does not know",
                objects: [context.object(guest: lease.key.guest), context.object(lease: lease.key),
                          context.object(mac: lease.mac)],
                fix: [context.fixes.forget(lease.key, guestExists: false)]))
        }
        for (oldName, guest) in context.renamedGuests.sorted(by: { $0.key < $1.key }) {
            for lease in context.input.leases.sorted(by: { $0.key < $1.key }) where lease.key.guest == oldName {
                let uuid = context.input.guestUUIDs[oldName] ?? guest.uuid
                findings.append(context.finding(
                    .mismatchGuestRenamed, .warning,
                    "guest \(oldName) (UUID \(uuid)) is named \(guest.name) in libvirt now; its lease on "
                        + "\(lease.key.network) (MAC \(lease.mac)) is still recorded under \(oldName)",
                    objects: [context.object(guest: oldName), context.object(guest: guest.name),
                              context.object(lease: lease.key), context.object(mac: lease.mac)],
                    fix: [context.fixes.recordRename(lease.key, newName: guest.name, uuid: uuid)]))
            }
        }
        return findings
    }
}
