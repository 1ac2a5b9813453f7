/// Finishes what an interrupted sriovctl left behind: assignments in state `intent` or
/// `releasing` whose owner process is no longer running (it crashed, was killed, or the
/// host rebooted).
///
/// - `intent` (the attach never reported success): rolled back. The VF gets back the
///   saved values of the fields the attach set, the assignment is deleted, and a lease
///   created by that attach is dropped (its MAC was never given to a guest).
/// - `releasing` (a detach was under way): completed. The VF is restored as detach does,
///   the assignment is deleted, and with `--forget` the lease is dropped.
///
/// attach, detach and provision call ``run()`` before they start; anything that reads
/// assignments to change VFs should too. A row is claimed in a write transaction first,
/// so two processes never repair the same row. When the VF cannot be restored (netlink
/// error) the row stays, owned by this process, and the next run retries it.
public struct IntentRepair: Sendable {
    let store: any StateStoring
    let links: any VFLinkControlling
    let discovery: any HostDiscovering
    let devices: any HostDeviceInspecting
    let liveness: any ProcessLiveness

    /// Creates a repair over the given ports.
    public init(store: any StateStoring, links: any VFLinkControlling, discovery: any HostDiscovering,
                devices: any HostDeviceInspecting, liveness: any ProcessLiveness) {
        self.store = store
        self.links = links
        self.discovery = discovery
        self.devices = devices
        self.liveness = liveness
    }

    /// What one run did.
    public struct Report: Hashable, Sendable, Codable {
        /// One line per repaired row: `rolled back web1 on prod (eni10np1 VF 2, left by pid 812)`.
        public var repaired: [String] = []
        /// One line per row that could not be repaired (retried next run).
        public var failures: [String] = []

        /// True when nothing needed repair.
        public var isEmpty: Bool { repaired.isEmpty && failures.isEmpty }
    }

    /// Repairs every orphaned row. Throws only for database errors.
    public func run() throws(SRIOVError) -> Report {
        var report = Report()
        let me = liveness.current
        let orphans = try store.read().assignments.filter { row in
            guard row.state != .applied else { return false }
            guard let owner = row.owner else { return true }
            return owner != me && !liveness.isRunning(owner)
        }
        guard !orphans.isEmpty else { return report }
        let survey = HostSurvey.take(discovery: discovery, links: links, devices: devices)

        for orphan in orphans {
            // Claim the row: only if nobody changed it since we read it.
            let claimed: AssignmentRecord? = try store.update { (snapshot) throws(SRIOVError) in
                guard let current = snapshot.assignment(for: orphan.lease),
                      current.state == orphan.state, current.owner == orphan.owner else {
                    return StateUpdate(edits: [], result: nil)
                }
                var mine = current
                mine.owner = me
                return StateUpdate(edits: [.updateAssignment(mine)], result: mine)
            }
            guard let row = claimed else { continue }
            let left = row.state == .intent ? "an interrupted attach" : "an interrupted detach"
            let by = orphan.owner.map { ", left by \($0)" } ?? ""

            // Put the VF back.
            var hardware = "VF gone; nothing to restore"
            if let found = survey.locate(row.vf), found.vf != nil {
                guard let status = found.status else {
                    report.failures.append("\(row.lease) (\(row.vf)) from \(left)\(by): its PF \(found.pf.name) "
                                           + "cannot be read over netlink; will retry on the next run")
                    continue
                }
                let snapshot = try store.read()
                let restore = row.state == .intent
                    ? VFRestoreTarget.settings(undoing: row.desired, to: row.savedState)
                    : VFRestoreTarget.onDetach(row, snapshot: snapshot)
                do {
                    let outcome = try VFSettingsRestorer(links: links).restore(restore, vf: row.vf.index, on: status.name)
                    hardware = outcome.sent.isEmpty ? "VF already as before"
                        : "restored \(outcome.sent.joined(separator: ", "))"
                } catch {
                    report.failures.append("\(row.lease) (\(status.name) VF \(row.vf.index)) from \(left)\(by): "
                                           + "restoring the VF failed: \(error.message); will retry on the next run")
                    continue
                }
            }

            // Forget the row.
            let action = row.state == .intent ? "repair-rollback" : "repair-release"
            try store.update { (snapshot) throws(SRIOVError) -> StateUpdate<Void> in
                var edits: [StateEdit] = [.deleteAssignment(row.lease)]
                if row.state == .intent {
                    if row.leaseCreated, snapshot.lease(row.lease) != nil { edits.append(.deleteLease(row.lease)) }
                } else if row.forgetOnRelease {
                    edits.append(.forgetLease(row.lease))
                } else {
                    edits.append(.touchLease(row.lease, lastVF: row.vf))
                }
                edits.append(.journal(JournalEntry(action: action, guest: row.lease.guest, network: row.lease.network,
                                                   mac: row.desired.mac, vf: row.vf,
                                                   detail: "\(left)\(by): \(hardware)")))
                return StateUpdate(edits: edits)
            }
            let verb = row.state == .intent ? "rolled back" : "completed the detach of"
            report.repaired.append("\(verb) \(row.lease) (\(row.vf)\(by)): \(hardware)")
        }
        return report
    }
}
