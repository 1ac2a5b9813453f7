/// The decision an attach makes inside its write transaction.
public enum AttachPlan: Hashable, Sendable {
    /// A new assignment, recorded as `intent`: program `candidate` next. `movedFrom` is the
    /// lease's previous VF when that VF no longer exists.
    case new(assignment: AssignmentRecord, candidate: VFCandidate, leaseCreated: Bool, movedFrom: VFKey?)
    /// The lease already has this VF; converge it to `assignment.desired`. `previous` is the
    /// record before this run when the run changed the desired settings (to undo on failure).
    case existing(AssignmentRecord, previous: AssignmentRecord?)
}

/// The pure part of `attach`: from a snapshot and the host's candidates, the edits to
/// record and what to program. Runs as the body of ``StateStoring/update(_:)``.
public struct AttachPlanner: Sendable {
    /// The request (validated).
    public var request: AttachRequest
    /// The network.
    public var network: NetworkDefinition
    /// The guest's UUID, normalized, when known.
    public var uuid: String?
    /// The network's PFs on this host.
    public var pfs: [NetworkPF]
    /// Their VFs with host facts.
    public var candidates: [VFCandidate]
    /// The host, for MACs seen on interfaces and VFs and for finding an assigned VF.
    public var survey: HostSurvey
    /// The MAC pool.
    public var pool: MACPool
    /// This process.
    public var owner: OperationOwner
    /// Tells whether another row's owner is still running.
    public var isRunning: @Sendable (OperationOwner) -> Bool
    /// Checks that the interface can be printed in the requested format (throws if not).
    public var checkRenderable: @Sendable (GuestInterface) throws(SRIOVError) -> Void
    /// The guest's NUMA nodes and the network's placement rules (``VFPlacement``).
    public var placement: VFPlacement = .unplaced

    /// Creates a planner.
    public init(request: AttachRequest, network: NetworkDefinition, uuid: String?, pfs: [NetworkPF],
                candidates: [VFCandidate], survey: HostSurvey, pool: MACPool, owner: OperationOwner,
                isRunning: @escaping @Sendable (OperationOwner) -> Bool,
                checkRenderable: @escaping @Sendable (GuestInterface) throws(SRIOVError) -> Void) {
        self.request = request
        self.network = network
        self.uuid = uuid
        self.pfs = pfs
        self.candidates = candidates
        self.survey = survey
        self.pool = pool
        self.owner = owner
        self.isRunning = isRunning
        self.checkRenderable = checkRenderable
    }

    /// The edits and the plan. Throws (and nothing is written) on a UUID conflict, a MAC
    /// conflict, an operation in progress elsewhere, no free VF, or an unrenderable result.
    public func plan(_ snapshot: StateSnapshot) throws(SRIOVError) -> StateUpdate<AttachPlan> {
        let key = request.leaseKey
        var edits: [StateEdit] = [.recordNetwork(network)]
        let (guestEdit, oldName) = try guestEdit(snapshot)
        edits.append(guestEdit)
        let lookup = LeaseKey(guest: oldName ?? key.guest, network: key.network, slot: key.slot)

        var movedFrom: VFKey?
        if var current = snapshot.assignment(for: lookup) {
            current.lease = key
            try checkNotBusy(current)
            if let plan = try existing(current, snapshot: snapshot, lookup: lookup, edits: &edits) {
                return StateUpdate(edits: edits, result: plan)
            }
            // The VF is gone (fewer VFs, PF removed): free the record and choose again.
            movedFrom = current.vf
            edits.append(.deleteAssignment(key))
            edits.append(.journal(JournalEntry(action: "attach-vf-gone", guest: key.guest, network: key.network,
                                               mac: current.desired.mac, vf: current.vf,
                                               detail: "\(current.vf) no longer exists on this host; choosing another VF")))
        }

        // A lease attached on another host of the fleet: only a move attaches it here too.
        let remote = snapshot.assignmentsElsewhere(for: lookup)
        if let other = remote.first {
            guard request.move else {
                throw SRIOVError(.busy, "\(key) is attached on host \(other.host) (\(other.vf)); nothing was changed. "
                                 + "To move the guest here, attach with --move: both VFs carry its MAC until host "
                                 + "\(other.host.name) detaches it")
            }
            edits.append(.journal(JournalEntry(action: "attach-move", guest: key.guest, network: key.network,
                                               mac: snapshot.lease(lookup)?.mac, vf: nil,
                                               detail: "moving from host \(other.host) (\(other.vf))")))
        }

        // The lease: reuse, or create from --mac or the pool.
        var leaseCreated = false
        let lease: LeaseRecord
        if let existing = snapshot.lease(lookup) {
            if let wanted = request.mac, wanted != existing.mac {
                throw SRIOVError(.invalidValue, "\(key) already has MAC \(existing.mac); "
                                 + "omit --mac, or drop the lease first with 'sriovctl detach \(key.guest) "
                                 + "--network \(key.network) --forget'")
            }
            lease = LeaseRecord(key: key, mac: existing.mac, lastVF: existing.lastVF)
        } else {
            var usage = MACUsage(snapshot: snapshot)
            usage.addSeen(from: survey.seenMACs)
            let mac: MACAddress
            if let wanted = request.mac {
                try MACAllocator.checkExplicit(wanted, for: key.guest, uuid: uuid, usage: usage)
                if snapshot.quarantined(wanted) != nil { edits.append(.releaseQuarantine(wanted)) }
                mac = wanted
            } else {
                mac = try MACAllocator.allocate(from: pool, avoiding: usage)
            }
            lease = LeaseRecord(key: key, mac: mac)
            edits.append(.createLease(lease))
            leaseCreated = true
        }

        let candidate = try VFChooser.choose(for: lookup, network: network.name, pfs: pfs, candidates: candidates,
                                             snapshot: snapshot, preferred: lease.lastVF, placement: placement)
        let desired = try GuestVFSettings.desired(for: request, network: network, mac: lease.mac)
        try desired.validate(vfIndex: candidate.key.index, pf: candidate.networkPF.netdev)
        let interface = GuestVFSettings.interface(settings: desired, vfPCIAddress: candidate.vf.pciAddress,
                                                  virtualPort: request.virtualPort)
        try checkRenderable(interface)
        let record = AssignmentRecord(lease: key, vf: candidate.key, vfPCIAddress: candidate.vf.pciAddress,
                                      state: .intent, savedState: candidate.live, desired: desired,
                                      interface: interface, owner: owner, leaseCreated: leaseCreated)
        edits.append(.recordPF(candidate.networkPF.record))
        edits.append(.createAssignment(record))
        return StateUpdate(edits: edits, result: .new(assignment: record, candidate: candidate,
                                                      leaseCreated: leaseCreated, movedFrom: movedFrom))
    }

    /// The plan for a lease that already has a VF, or `nil` when that VF no longer exists.
    private func existing(_ current: AssignmentRecord, snapshot: StateSnapshot, lookup: LeaseKey,
                          edits: inout [StateEdit]) throws(SRIOVError) -> AttachPlan? {
        guard let found = survey.locate(current.vf), let vf = found.vf else { return nil }
        let key = request.leaseKey
        if let wanted = request.mac, wanted != current.desired.mac {
            throw SRIOVError(.invalidValue, "\(key) is attached with MAC \(current.desired.mac ?? .zero); "
                             + "omit --mac, or detach with --forget first")
        }
        let mac = snapshot.lease(lookup)?.mac ?? current.desired.mac ?? .zero
        let desired = try GuestVFSettings.desired(for: request, network: network, mac: mac)
        try desired.validate(vfIndex: current.vf.index, pf: found.status?.name ?? found.pf.name)
        let interface = GuestVFSettings.interface(settings: desired, vfPCIAddress: vf.pciAddress ?? current.vfPCIAddress,
                                                  virtualPort: request.virtualPort)
        try checkRenderable(interface)
        if desired == current.desired && interface == current.interface {
            return .existing(current, previous: nil)
        }
        var updated = current
        updated.desired = desired
        updated.interface = interface
        edits.append(.updateAssignment(updated))
        return .existing(updated, previous: current)
    }

    /// Refuses a row another running process is working on, or one a repair could not fix.
    private func checkNotBusy(_ current: AssignmentRecord) throws(SRIOVError) {
        guard current.state != .applied else { return }
        let verb = current.state == .intent ? "attaching" : "detaching"
        if let other = current.owner, other != owner, isRunning(other) {
            throw SRIOVError(.busy, "another sriovctl (\(other)) is \(verb) \(current.lease) right now; try again")
        }
        throw SRIOVError(.busy, "\(current.lease) was left \(current.state) by an interrupted run and could not "
                         + "be repaired yet (see the warnings above); fix the cause and run the command again")
    }

    /// The guest edit, and the old name when the guest (same UUID) was renamed.
    private func guestEdit(_ snapshot: StateSnapshot) throws(SRIOVError) -> (StateEdit, String?) {
        let name = request.guest
        let byName = snapshot.guest(named: name)
        if let uuid, let recorded = byName?.uuid, recorded.lowercased() != uuid.lowercased() {
            throw SRIOVError(.invalidValue, "guest '\(name)' is recorded with UUID \(recorded), but this guest has "
                             + "UUID \(uuid): a different guest reusing the name? Drop the old leases with "
                             + "'sriovctl detach \(name) --network NET --forget' (see 'sriovctl leases')")
        }
        if byName == nil, let uuid, let renamed = snapshot.guest(uuid: uuid) {
            return (.recordGuest(GuestRecord(name: name, uuid: uuid), renamedFrom: renamed.name), renamed.name)
        }
        return (.recordGuest(GuestRecord(name: name, uuid: uuid), renamedFrom: nil), nil)
    }
}
