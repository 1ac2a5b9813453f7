/// MAC policy on leases and the anti-spoofing policy on VFs in use.
///
/// Each lease gets at most one MAC policy finding, the worst that applies: multicast (a VF
/// cannot carry it), then universally administered outside the pool (a vendor MAC that can
/// collide with a real NIC; a pool the operator chose from their own OUI is fine), then
/// outside the pool. A VF in use (assigned, or in a guest's definition) with spoof checking
/// off must be trusted, otherwise nothing stops its guest from spoofing other MACs unnoticed.
enum PolicyRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        macPolicy(context) + spoofCheck(context)
    }

    private static func macPolicy(_ context: AuditContext) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for lease in context.input.leases.sorted(by: { $0.key < $1.key }) {
            let mac = lease.mac
            let inPool = context.input.macPool?.contains(mac)
            let objects = [context.object(lease: lease.key), context.object(mac: mac)]
            let fix = context.fixes.newMAC(for: lease.key, assigned: context.placementByLease[lease.key] != nil)
            let who = "guest \(lease.key.guest) (\(lease.key.network))"
            if mac.isMulticast {
                findings.append(context.finding(
                    .multicastMAC, .error, "\(who) is leased multicast MAC \(mac) (the first octet is odd)",
                    objects: objects, fix: fix))
            } else if !mac.isLocallyAdministered && inPool != true {
                findings.append(context.finding(
                    .universalMAC, .warning,
                    "\(who) is leased MAC \(mac), which is not locally administered (it can collide with a NIC's MAC)",
                    objects: objects, fix: fix))
            } else if inPool == false, let pool = context.input.macPool {
                findings.append(context.finding(
                    .macOutsidePool, .warning, "\(who) is leased MAC \(mac), outside the MAC pool \(pool)",
                    objects: objects, fix: fix))
            }
        }
        return findings
    }

    private static func spoofCheck(_ context: AuditContext) -> [AuditFinding] {
        var findings: [AuditFinding] = []
        for observed in context.vfs {
            let placement = context.placementByVF[observed.id]
            guard placement != nil || !context.guests(using: observed.id).isEmpty,
                  let live = observed.vf.live, live.spoofCheck == false, live.trust != true else { continue }
            // Drift back to the database's "on" repairs it; an intended "off" needs a new setting.
            let fix = placement?.expected.spoofCheck == true
                ? context.repairCommand([observed.id]) : AuditFixCommands.spoofCheckOn(observed.id)
            findings.append(context.finding(
                .spoofCheckOffUntrusted, .warning,
                "\(context.object(vf: observed.id).label) has spoof checking off but is not trusted",
                objects: [context.object(vf: observed.id)], fix: [fix]))
        }
        return findings
    }
}
