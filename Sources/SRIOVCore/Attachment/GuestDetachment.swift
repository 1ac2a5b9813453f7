/// `sriovctl detach`: takes a guest's VF back and keeps (or with `--forget` drops) its lease.
///
/// Order of work: find the lease; with `--apply` detach the interface in libvirt (a
/// failure stops here, nothing changed); mark the assignment `releasing`; put the VF back
/// (its saved state, or the reset with `--reset`); delete the assignment and, with
/// `--forget`, the lease (its MAC is quarantined). A crash after `releasing` is completed
/// by the next run (``IntentRepair``); a netlink failure puts the row back to `applied`.
public struct GuestDetachment: Sendable {
    /// The ports and configuration.
    public let environment: AttachmentEnvironment

    /// Creates a detach over `environment`.
    public init(environment: AttachmentEnvironment) { self.environment = environment }

    /// Runs the detach.
    public func run(_ request: DetachRequest) throws(SRIOVError) -> DetachResult {
        let env = environment
        try request.validate()
        let report = try env.repair.run()
        var notes = report.repaired.map { "repaired: \($0)" } + report.failures.map { "repair failed: \($0)" }

        let snapshot = try env.store.read()
        let lease = try findLease(request, in: snapshot)
        let key = lease.key
        // The lease is the fleet's: it cannot be dropped while another host's VF holds it.
        if request.forget, let other = snapshot.assignmentsElsewhere(for: key).first {
            throw SRIOVError(.busy, "\(key) is also attached on host \(other.host) (\(other.vf)): detach it there first, "
                             + "or detach here without --forget; nothing was changed")
        }
        guard let assignment = snapshot.assignment(for: key) else {
            if request.forget {
                try env.store.update { (current) throws(SRIOVError) -> StateUpdate<Void> in
                    if current.assignment(for: key) != nil {
                        throw SRIOVError(.busy, "\(key) was attached by another sriovctl meanwhile; run detach again")
                    }
                    return StateUpdate(edits: [
                        .forgetLease(key),
                        .journal(JournalEntry(action: "forget", guest: key.guest, network: key.network, mac: lease.mac,
                                              detail: "lease dropped; MAC quarantined")),
                    ])
                }
                return DetachResult(guest: key.guest, network: key.network, slot: key.slot, mac: lease.mac,
                                    outcome: "forgotten", leaseKept: false, notes: notes)
            }
            return DetachResult(guest: key.guest, network: key.network, slot: key.slot, mac: lease.mac,
                                outcome: "not-attached", leaseKept: true,
                                notes: notes + ["\(key) has no VF assigned; lease kept (MAC \(lease.mac))"])
        }
        if assignment.state != .applied {
            throw SRIOVError(.busy, "\(key) is being changed by another sriovctl"
                             + (assignment.owner.map { " (\($0))" } ?? "") + " (state \(assignment.state)); try again")
        }

        // libvirt first: if it refuses, nothing has changed.
        var libvirtAction: String?
        if let apply = request.libvirt, let guests = env.guests {
            libvirtAction = try detachInLibvirt(assignment, apply: apply, guests: guests)
        }

        // Mark releasing.
        let owner = env.liveness.current
        var releasing = assignment
        releasing.state = .releasing
        releasing.owner = owner
        releasing.forgetOnRelease = request.forget
        let marked = releasing
        try env.store.update { (current) throws(SRIOVError) -> StateUpdate<Void> in
            guard current.assignment(for: key) == assignment else {
                throw SRIOVError(.busy, "\(key) was changed by another sriovctl meanwhile; run detach again")
            }
            return StateUpdate(edits: [.updateAssignment(marked)])
        }

        // Put the VF back.
        let survey = HostSurvey.take(discovery: env.discovery, links: env.links, devices: env.devices)
        var restored: [String] = []
        var pfNetdev: String?
        if let found = survey.locate(assignment.vf), found.vf != nil, let status = found.status {
            pfNetdev = status.name
            let target = VFRestoreTarget.onDetach(assignment, snapshot: snapshot, reset: request.reset)
            do {
                let outcome = try VFSettingsRestorer(links: env.links).restore(target, vf: assignment.vf.index, on: status.name)
                notes += outcome.notes
                restored = outcome.sent
            } catch {
                try? env.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
                    StateUpdate(edits: [
                        .updateAssignment(assignment),
                        .journal(JournalEntry(action: "detach-failed", guest: key.guest, network: key.network,
                                              mac: lease.mac, vf: assignment.vf, detail: error.message)),
                    ])
                }
                let libvirtDone = libvirtAction == "detached" ? " (the interface was already detached in libvirt)" : ""
                throw SRIOVError("detach \(key): \(error.message); the VF stays assigned\(libvirtDone); "
                                 + "fix the cause and run detach again", causedBy: error)
            }
        } else if let found = survey.locate(assignment.vf), found.vf != nil {
            notes.append("\(assignment.vf): its PF \(found.pf.name) cannot be read over netlink; the VF was not restored")
        } else {
            notes.append("\(assignment.vf) no longer exists; nothing to restore")
        }

        // Free the VF; keep or drop the lease.
        try env.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
            var edits: [StateEdit] = [.deleteAssignment(key)]
            edits.append(request.forget ? .forgetLease(key) : .touchLease(key, lastVF: assignment.vf))
            let what = restored.isEmpty ? "VF left as it was" : "restored \(restored.joined(separator: ", "))"
            edits.append(.journal(JournalEntry(action: request.forget ? "detach-forget" : "detach", guest: key.guest,
                                               network: key.network, mac: lease.mac, vf: assignment.vf,
                                               detail: what + (request.forget ? "; lease dropped, MAC quarantined" : ""))))
            return StateUpdate(edits: edits)
        }
        return DetachResult(guest: key.guest, network: key.network, slot: key.slot, mac: lease.mac,
                            outcome: "detached", vf: assignment.vf, pfNetdev: pfNetdev, restored: restored,
                            leaseKept: !request.forget, libvirt: libvirtAction, notes: notes)
    }

    /// The lease the request names; throws naming the guest's leases when there is none.
    private func findLease(_ request: DetachRequest, in snapshot: StateSnapshot) throws(SRIOVError) -> LeaseRecord {
        if let mac = request.mac {
            guard let lease = snapshot.lease(mac: mac) else {
                throw SRIOVError(.notFound, "no lease holds MAC \(mac)")
            }
            guard lease.key.guest == request.guest else {
                throw SRIOVError(.invalidValue, "MAC \(mac) is leased to guest '\(lease.key.guest)', not '\(request.guest)'")
            }
            if let network = request.network, network != lease.key.network {
                throw SRIOVError(.invalidValue, "MAC \(mac) is leased on network '\(lease.key.network)', not '\(network)'")
            }
            return lease
        }
        let key = LeaseKey(guest: request.guest, network: request.network ?? "", slot: request.slot)
        if let lease = snapshot.lease(key) { return lease }
        let held = snapshot.leases(ofGuest: request.guest)
        if held.isEmpty {
            throw SRIOVError(.notFound, "guest '\(request.guest)' has no leases")
        }
        let list = held.map { "\($0.key.network)" + ($0.key.slot == 0 ? "" : " slot \($0.key.slot)") + " (\($0.mac))" }
        throw SRIOVError(.notFound, "guest '\(request.guest)' has no lease on network '\(key.network)'"
                         + (key.slot == 0 ? "" : " slot \(key.slot)") + "; its leases: " + list.joined(separator: ", "))
    }

    private func detachInLibvirt(_ assignment: AssignmentRecord, apply: LibvirtApply,
                                 guests: any GuestDomainControlling) throws(SRIOVError) -> String {
        guard let domain = try guests.guest(named: assignment.lease.guest) else {
            return "guest not defined in libvirt"
        }
        let scope = try apply.effectiveScope(guestIsActive: domain.isActive)
        let present = LibvirtScopes.holding(assignment.interface.mac, in: domain, scope: scope)
        if present.isEmpty { return "not present" }
        let xml = try LibvirtInterfaceXML.render(assignment.interface)
        try guests.detachDevice(xml: xml, from: assignment.lease.guest, scope: present)
        return "detached"
    }
}
