/// Compares each libvirt guest's hostdev interfaces with the assignments its leases hold.
///
/// Per guest, interfaces and assignments are paired: first on PCI address and MAC (agreeing),
/// then on PCI address alone (the `<mac>` differs: mismatch-mac), then on MAC alone (the
/// `<source>` differs: mismatch-source). An interface left over uses a VF sriovctl did not
/// assign to this guest (orphan-guest-interface); an assignment left over has no interface
/// in the definition (mismatch-missing-interface). A running guest whose running definition
/// differs from its persistent one is checked against both; what only the running one has
/// wrong says "(in the running definition)". Skipped when libvirt was not reachable.
enum GuestDefinitionRules {
    static func findings(in context: AuditContext) -> [AuditFinding] {
        guard let guests = context.input.guests else { return [] }
        let placementsByGuest = Dictionary(grouping: context.placements, by: \.assignment.lease.guest)
        var findings: [AuditFinding] = []
        for guest in guests.sorted(by: { $0.name < $1.name }) {
            let placements = placementsByGuest[context.databaseName(of: guest)] ?? []
            let persistent = check(guest, guest.hostdevInterfaces, placements: placements, context)
            findings += persistent
            if let live = guest.liveHostdevInterfaces, Set(live) != Set(guest.hostdevInterfaces) {
                for var finding in check(guest, live, placements: placements, context) where !persistent.contains(finding) {
                    finding.message += " (in the running definition)"
                    findings.append(finding)
                }
            }
        }
        return findings
    }

    /// The PCI address an assignment holds: as recorded, else the observed VF's.
    private static func pci(of placement: AuditContext.Placement) -> PCIAddress? {
        placement.assignment.vfPCIAddress ?? placement.observed?.pciAddress
    }

    private static func check(_ guest: GuestDefinition, _ defined: [GuestInterface],
                              placements: [AuditContext.Placement],
                              _ context: AuditContext) -> [AuditFinding] {
        var interfaces = defined
        var open = placements
        var findings: [AuditFinding] = []

        /// Pairs each remaining interface with the first open placement matching `predicate`,
        /// hands the pair to `handle`, and takes both out of the running.
        func pair(_ predicate: (GuestInterface, AuditContext.Placement) -> Bool,
                  _ handle: (GuestInterface, AuditContext.Placement) -> Void) {
            var remaining: [GuestInterface] = []
            for interface in interfaces {
                if let i = open.firstIndex(where: { predicate(interface, $0) }) {
                    handle(interface, open.remove(at: i))
                } else {
                    remaining.append(interface)
                }
            }
            interfaces = remaining
        }

        let reattach = { (interface: GuestInterface, placement: AuditContext.Placement) -> [AuditFixCommand] in
            [context.fixes.virshDetachInterface(guest: guest, mac: interface.mac),
             context.fixes.attach(placement.assignment.lease)]
        }
        let objects = { (placement: AuditContext.Placement) -> [AuditObject] in
            [context.object(guest: guest.name), context.object(lease: placement.assignment.lease),
             context.object(vf: placement.vf)]
        }

        pair({ iface, p in iface.vfPCIAddress != nil && iface.vfPCIAddress == pci(of: p) && iface.mac == p.expected.mac },
             { _, _ in })
        pair({ iface, p in iface.vfPCIAddress != nil && iface.vfPCIAddress == pci(of: p) }) { iface, p in
            let leased = p.expected.mac.map { "\($0)" } ?? "no MAC"
            findings.append(context.finding(
                .mismatchMAC, .error,
                "guest \(guest.name) defines MAC \(iface.mac) on \(p.vf) (\(iface.vfPCIAddress!)), "
                    + "but its lease on \(p.assignment.lease.network) has \(leased)",
                objects: objects(p) + [context.object(mac: iface.mac)], fix: reattach(iface, p)))
        }
        pair({ iface, p in iface.mac == p.expected.mac }) { iface, p in
            let defined = iface.vfPCIAddress.map { "\($0)" } ?? "no PCI source"
            let leased = pci(of: p).map { "\($0)" } ?? "a VF without PCI address"
            findings.append(context.finding(
                .mismatchSource, .error,
                "guest \(guest.name) uses MAC \(iface.mac) on source \(defined), "
                    + "but its lease on \(p.assignment.lease.network) holds \(p.vf) (\(leased))",
                objects: objects(p), fix: reattach(iface, p)))
        }
        for iface in interfaces {
            guard let address = iface.vfPCIAddress else { continue }
            let detach = [context.fixes.virshDetachInterface(guest: guest, mac: iface.mac)]
            let base = [context.object(guest: guest.name), context.object(mac: iface.mac)]
            if let vf = context.vfByPCI[address] {
                let holder = context.placementByVF[vf].map {
                    "assigned to guest \($0.assignment.lease.guest)"
                } ?? "free for sriovctl, which may hand it to another guest"
                findings.append(context.finding(
                    .orphanGuestInterface, .error,
                    "guest \(guest.name) has a hostdev interface (MAC \(iface.mac)) on \(vf) (\(address)), \(holder)",
                    objects: base + [context.object(vf: vf)], fix: detach))
            } else {
                findings.append(context.finding(
                    .orphanGuestInterface, .info,
                    "guest \(guest.name) has a hostdev interface (MAC \(iface.mac)) on \(address), "
                        + "which is not a VF of an audited PF",
                    objects: base, fix: []))
            }
        }
        for p in open {
            findings.append(context.finding(
                .mismatchMissingInterface, .warning,
                "\(p.vf) is assigned to guest \(guest.name) (\(p.assignment.lease.network)), "
                    + "but the guest's definition has no interface for it",
                objects: objects(p), fix: [context.fixes.attach(p.assignment.lease)]))
        }
        return findings
    }
}
