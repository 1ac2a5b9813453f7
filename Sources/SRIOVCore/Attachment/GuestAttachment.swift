/// `sriovctl attach`: gives a guest a programmed VF on a network, with its leased MAC.
///
/// Order of work, so that a crash at any point is repaired by the next run and the
/// hardware is never ahead of the database:
/// 1. check the request, the network and (with libvirt) the guest; repair interrupted runs;
/// 2. read the host (sysfs, netlink, interface MACs);
/// 3. in one write transaction: reuse or create the lease, choose a VF, record the
///    assignment as `intent` with the VF's current settings;
/// 4. program the VF over netlink; on failure put back what was changed, delete the
///    intent (and a lease created in step 3) and report the error;
/// 5. mark the assignment `applied`;
/// 6. with `--apply`, attach the interface through libvirt; on failure undo 4–5 for a new
///    assignment.
/// An attach of a lease that already has its VF converges: it only sends the fields the
/// VF does not already have.
public struct GuestAttachment: Sendable {
    /// The ports and configuration.
    public let environment: AttachmentEnvironment

    /// Creates an attach over `environment`.
    public init(environment: AttachmentEnvironment) { self.environment = environment }

    /// The checks of `request` against the config alone (the first part of step 1), for a
    /// caller to run before it creates the state database or its lock: bad input creates
    /// nothing.
    public static func checkRequest(_ request: AttachRequest, config: HostConfig) throws(SRIOVError) {
        try request.validate()
        let network = try config.network(named: request.network)
        _ = try GuestVFSettings.desired(for: request, network: network, mac: .zero)  // --virtualport vs network VLAN
        try MACAllocator.validate(config.macPool)
        if request.failover && network.failover == nil {
            throw SRIOVError(.invalidValue, "network '\(network.name)' has no failover path: add "
                             + "'failover: {network: NAME}' (a libvirt network) or 'failover: {bridge: NAME}' to it "
                             + "in the config to use --failover")
        }
    }

    /// Runs the attach. Throws an ``SRIOVError`` naming the guest, network, PF or VF; when
    /// it throws, the database and the VF are as before (see the type's description).
    public func run(_ request: AttachRequest) throws(SRIOVError) -> AttachmentResult {
        let env = environment
        try Self.checkRequest(request, config: env.config)
        let network = try env.config.network(named: request.network)
        var uuid = try request.uuid.map { (text) throws(SRIOVError) in try GuestNameRules.normalizedUUID(text) }

        // The guest in libvirt, when we may ask.
        var domain: GuestDefinition?
        var guestsByPCI: [PCIAddress: String] = [:]
        if let guests = env.guests {
            guard let found = try guests.guest(named: request.guest) else {
                throw SRIOVError(.notFound, "libvirt has no guest named '\(request.guest)'")
            }
            let libvirtUUID = try GuestNameRules.normalizedUUID(found.uuid)
            if let uuid, uuid != libvirtUUID {
                throw SRIOVError(.invalidValue, "guest '\(request.guest)' has UUID \(libvirtUUID) in libvirt, not \(uuid)")
            }
            uuid = libvirtUUID
            domain = found
            _ = try request.libvirt?.effectiveScope(guestIsActive: found.isActive)  // --live on a stopped guest
            for other in try guests.listGuests() {
                for interface in other.hostdevInterfaces {
                    if let pci = interface.vfPCIAddress { guestsByPCI[pci] = other.name }
                }
            }
        }

        var notes = try repairNotes()
        let survey = HostSurvey.take(discovery: env.discovery, links: env.links, devices: env.devices)
        for (netdev, error) in survey.readErrors.sorted(by: { $0.key < $1.key }) {
            notes.append("\(netdev): VFs not readable (\(error.message)); MACs on its VFs were not checked")
        }
        try NetworkPoolOverlap.check(env.config.networks, involving: network.name) {
            NetworkPFResolver.device(of: $0, inventory: survey.inventory, statuses: survey.statuses)
        }
        let pfs = try NetworkPFResolver.resolve(network, inventory: survey.inventory, statuses: survey.statuses,
                                                readErrors: survey.readErrors)
        let placement = Self.placement(request, network: network, domain: domain, topology: env.numa?.numaTopology())
        if network.numa == .required, placement.guestNodes == nil {
            notes.append("network '\(network.name)' has numa: required, but the guest's NUMA node is unknown "
                         + "(give --numa-node N, or --apply/--connect to read it from libvirt); any VF qualifies")
        }
        let candidates = VFCandidate.build(pfs: pfs, bindings: { env.devices.binding(ofPCIDevice: $0) },
                                           guestsByPCI: guestsByPCI, guest: request.guest)
        let owner = env.liveness.current
        let liveness = env.liveness
        let format = request.output
        let needsXML = request.libvirt != nil
        var planner = AttachPlanner(
            request: request, network: network, uuid: uuid, pfs: pfs, candidates: candidates, survey: survey,
            pool: env.config.macPool, owner: owner, isRunning: { liveness.isRunning($0) },
            checkRenderable: { (interface) throws(SRIOVError) in
                do throws(SRIOVError) {
                    _ = try format.render(interface)
                    if needsXML { _ = try LibvirtInterfaceXML.render(interface) }
                } catch {
                    guard interface.vfPCIAddress == nil, !needsXML else { throw error }
                    throw SRIOVError(error.message + "; use --format json to program it without "
                                     + "a libvirt or Xen form", causedBy: error)
                }
            })
        planner.placement = placement

        // 3. Record the intent (or find the existing assignment).
        let plan = try env.store.update { (snapshot) throws(SRIOVError) in try planner.plan(snapshot) }

        var result: AttachmentResult
        switch plan {
        case .new(let record, let candidate, let leaseCreated, let movedFrom):
            result = try program(new: record, candidate: candidate, leaseCreated: leaseCreated, uuid: uuid)
            result.notes = placement.notes(for: candidate) + result.notes
            if let movedFrom {
                result.outcome = .moved
                result.notes.insert("\(movedFrom) no longer exists; moved to \(record.vf) with the same MAC", at: 0)
            }
        case .existing(let record, let previous):
            result = try converge(record, previous: previous, survey: survey, uuid: uuid)
        }

        if request.failover, let path = network.failover {
            result.failover = FailoverPair(path: path, network: network.name, slot: request.slot)
        }

        // 6. libvirt.
        if let apply = request.libvirt, let domain, let guests = env.guests {
            do {
                result.libvirt = try attachInLibvirt(result, domain: domain, apply: apply, guests: guests)
            } catch {
                if result.outcome == .attached || result.outcome == .moved {
                    let undo = undoNew(result: result, leaseCreated: result.leaseCreated, cause: error)
                    throw SRIOVError("\(error.message); \(undo)", causedBy: error)
                }
                throw error
            }
        }
        notes.append(contentsOf: result.notes)
        result.notes = notes
        return result
    }

    /// The guest's NUMA nodes (`--numa-node`, else its libvirt pinning mapped through the
    /// host's topology) with the network's rules.
    static func placement(_ request: AttachRequest, network: NetworkDefinition, domain: GuestDefinition?,
                          topology: NUMATopology?) -> VFPlacement {
        var placement = VFPlacement(policy: network.numa, preferLinkUp: network.preferLinkUp)
        if let node = request.numaNode {
            placement.guestNodes = [node]
            placement.guestNodesSource = "--numa-node \(node)"
        } else if let tuning = domain?.numa, let found = tuning.nodes(topology: topology ?? NUMATopology()) {
            placement.guestNodes = found.nodes
            placement.guestNodesSource = found.source
        }
        return placement
    }

    private func repairNotes() throws(SRIOVError) -> [String] {
        let report = try environment.repair.run()
        return report.repaired.map { "repaired: \($0)" } + report.failures.map { "repair failed: \($0)" }
    }

    // MARK: New assignment

    /// Steps 4 and 5 for a new assignment.
    private func program(new record: AssignmentRecord, candidate: VFCandidate, leaseCreated: Bool,
                         uuid: String?) throws(SRIOVError) -> AttachmentResult {
        let env = environment
        let netdev = candidate.networkPF.netdev
        let change = VFSettingsDiff.change(to: record.desired, from: candidate.live)
        var notes: [String] = []
        if let change {
            let report = env.links.apply([VFChange(index: record.vf.index, settings: change)], on: netdev)
            notes += report.outcomes.flatMap(\.notes)
            if let cause = report.failures.first?.error?.error {
                let undo = rollBack(record, attempted: change, before: candidate.live, netdev: netdev, cause: cause)
                throw SRIOVError("attach \(record.lease): \(cause.message); \(undo)", causedBy: cause)
            }
        }

        // 5. Mark it applied.
        var applied = record
        applied.state = .applied
        applied.owner = nil
        let detail = change.map { "programmed \($0.fieldNames.joined(separator: ", ")) on \(netdev)" }
            ?? "VF already had the settings"
        try env.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
            StateUpdate(edits: [
                .updateAssignment(applied),
                .touchLease(record.lease, lastVF: record.vf),
                .journal(JournalEntry(action: "attach", guest: record.lease.guest, network: record.lease.network,
                                      mac: record.desired.mac, vf: record.vf, detail: detail)),
            ])
        }
        return AttachmentResult(
            guest: record.lease.guest, uuid: uuid, network: record.lease.network, slot: record.lease.slot,
            mac: record.desired.mac ?? .zero, leaseCreated: leaseCreated, pf: candidate.networkPF.record,
            vfIndex: record.vf.index, vfPCIAddress: record.vfPCIAddress, settings: record.desired,
            interface: record.interface, outcome: .attached, programmed: change?.fieldNames ?? [], notes: notes)
    }

    /// Puts back the fields of `attempted` and deletes the intent (and a lease it created).
    /// Returns the sentence to append to the error. When the VF cannot be put back, the
    /// intent stays (owned by this process, repaired by the next run).
    private func rollBack(_ record: AssignmentRecord, attempted: VFSettings, before: VFState?, netdev: String,
                          cause: SRIOVError) -> String {
        let env = environment
        let restore = VFRestoreTarget.settings(undoing: attempted, to: before)
        do {
            _ = try VFSettingsRestorer(links: env.links).restore(restore, vf: record.vf.index, on: netdev)
        } catch {
            return "putting the VF back failed too (\(error.message)); "
                + "the next sriovctl attach, detach or provision will retry"
        }
        do {
            try env.store.update { (snapshot) throws(SRIOVError) -> StateUpdate<Void> in
                var edits: [StateEdit] = [.deleteAssignment(record.lease)]
                if record.leaseCreated, snapshot.lease(record.lease) != nil {
                    edits.append(.deleteLease(record.lease))
                }
                edits.append(.journal(JournalEntry(
                    action: "attach-rollback", guest: record.lease.guest, network: record.lease.network,
                    mac: record.desired.mac, vf: record.vf,
                    detail: "\(cause.message); restored \(restore.fieldNames.joined(separator: ", "))")))
                return StateUpdate(edits: edits)
            }
        } catch {
            return "the VF was put back, but the database could not be updated (\(error.message)); "
                + "the next run will clean up"
        }
        return "the VF was put back as it was and nothing was recorded"
    }

    /// Undoes a new, applied assignment after libvirt refused it.
    private func undoNew(result: AttachmentResult, leaseCreated: Bool, cause: SRIOVError) -> String {
        let env = environment
        let key = LeaseKey(guest: result.guest, network: result.network, slot: result.slot)
        guard let snapshot = try? env.store.read(), var record = snapshot.assignment(for: key) else {
            return "the assignment could not be read back to undo it"
        }
        guard let netdev = result.pf.netdev else { return "the VF's PF has no netdev; run 'sriovctl detach'" }
        // Mark it as an intent of ours, so a crash during the undo is rolled back by the next run.
        record.state = .intent
        record.owner = env.liveness.current
        record.leaseCreated = leaseCreated
        let marked = record
        do {
            try env.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
                StateUpdate(edits: [.updateAssignment(marked)])
            }
        } catch {
            return "undoing failed (\(error.message)); run 'sriovctl detach \(result.guest) --network \(result.network)'"
        }
        return rollBack(marked, attempted: marked.desired, before: marked.savedState, netdev: netdev, cause: cause)
    }

    // MARK: Existing assignment

    /// Converges an existing assignment: sends only what the VF lacks.
    private func converge(_ record: AssignmentRecord, previous: AssignmentRecord?, survey: HostSurvey,
                          uuid: String?) throws(SRIOVError) -> AttachmentResult {
        let env = environment
        guard let found = survey.locate(record.vf), let status = found.status else {
            throw SRIOVError(.system, "\(record.lease): its VF \(record.vf) cannot be read over netlink")
        }
        let live = status.vf(record.vf.index)
        let change = VFSettingsDiff.change(to: record.desired, from: live)
        var notes: [String] = []
        if let change {
            let report = env.links.apply([VFChange(index: record.vf.index, settings: change)], on: status.name)
            notes += report.outcomes.flatMap(\.notes)
            if let cause = report.failures.first?.error?.error {
                // Put back what this run changed, and the previous desired settings.
                _ = try? VFSettingsRestorer(links: env.links).restore(VFRestoreTarget.settings(undoing: change, to: live),
                                                               vf: record.vf.index, on: status.name)
                if let previous {
                    try? env.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
                        StateUpdate(edits: [.updateAssignment(previous)])
                    }
                }
                throw SRIOVError("attach \(record.lease): \(cause.message); the VF was put back as it was", causedBy: cause)
            }
        }
        let outcome: AttachmentResult.Outcome = previous != nil ? .reconfigured : (change == nil ? .unchanged : .converged)
        if outcome != .unchanged {
            try env.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
                StateUpdate(edits: [
                    .touchLease(record.lease, lastVF: record.vf),
                    .journal(JournalEntry(action: "attach-\(outcome.rawValue)", guest: record.lease.guest,
                                          network: record.lease.network, mac: record.desired.mac, vf: record.vf,
                                          detail: "programmed \(change?.fieldNames.joined(separator: ", ") ?? "nothing") on \(status.name)")),
                ])
            }
        }
        var pf = env.store.pfRecord(record.vf.pf, fallback: PFRecord(pf: found.pf, status: status))
        pf.netdev = status.name
        return AttachmentResult(
            guest: record.lease.guest, uuid: uuid, network: record.lease.network, slot: record.lease.slot,
            mac: record.desired.mac ?? .zero, leaseCreated: false, pf: pf, vfIndex: record.vf.index,
            vfPCIAddress: record.vfPCIAddress, settings: record.desired, interface: record.interface,
            outcome: outcome, programmed: change?.fieldNames ?? [], notes: notes)
    }

    // MARK: libvirt

    /// Attaches the interface to the scopes (persistent config, running guest) that lack
    /// it: libvirt accepts the same interface twice, so an attach that is repeated must look
    /// first (docs/libvirt.md).
    private func attachInLibvirt(_ result: AttachmentResult, domain: GuestDefinition, apply: LibvirtApply,
                                 guests: any GuestDomainControlling) throws(SRIOVError) -> AttachmentResult.LibvirtOutcome {
        let scope = try apply.effectiveScope(guestIsActive: domain.isActive)
        let missing = LibvirtScopes.lacking(result.mac, in: domain, scope: scope)
        if missing.isEmpty { return .init(action: "already-present", scope: scope) }
        var xml = try LibvirtInterfaceXML.render(result.interface)
        if let pair = result.failover {
            let rendered = try LibvirtFailoverXML.render(result.interface, pair: pair)
            // The virtio half first (the VF's <teaming persistent> names it), where it is missing:
            // after a migration the destination's guest already has it.
            var virtioMissing = missing
            if domain.otherInterfaceMACs.contains(result.mac) { virtioMissing.remove(.config) }
            if domain.isActive && !missing.contains(.config) && domain.otherInterfaceMACs.contains(result.mac) {
                virtioMissing.remove(.live)
            }
            if !virtioMissing.isEmpty {
                try guests.attachDevice(xml: rendered.virtio, to: result.guest, scope: virtioMissing)
            }
            xml = rendered.hostdev
        }
        try guests.attachDevice(xml: xml, to: result.guest, scope: missing)
        let outcome = AttachmentResult.LibvirtOutcome(action: "attached", scope: missing)
        try? environment.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
            StateUpdate(edits: [.journal(JournalEntry(
                action: "libvirt-attach", guest: result.guest, network: result.network, mac: result.mac,
                detail: "attached <interface type='hostdev'>" + (result.failover == nil ? "" : " with its virtio failover pair")
                    + " (\(outcome.scope.joined(separator: "+")))"))])
        }
        return outcome
    }
}

/// Which parts of a libvirt guest hold an interface.
enum LibvirtScopes {
    /// The parts of `scope` whose definition lacks an interface with `mac`.
    static func lacking(_ mac: MACAddress, in domain: GuestDefinition, scope: DomainChangeScope) -> DomainChangeScope {
        var missing: DomainChangeScope = []
        if scope.contains(.config), !domain.hostdevInterfaces.contains(where: { $0.mac == mac }) {
            missing.insert(.config)
        }
        if scope.contains(.live), !(domain.liveHostdevInterfaces ?? []).contains(where: { $0.mac == mac }) {
            missing.insert(.live)
        }
        return missing
    }

    /// The parts of `scope` whose definition holds an interface with `mac`.
    static func holding(_ mac: MACAddress, in domain: GuestDefinition, scope: DomainChangeScope) -> DomainChangeScope {
        scope.subtracting(lacking(mac, in: domain, scope: scope))
    }
}

extension StateStoring {
    /// The recorded PF for `id`, or `fallback` when it cannot be read.
    func pfRecord(_ id: PFStableID, fallback: PFRecord) -> PFRecord {
        (try? read().pf(id)) ?? fallback
    }
}
