/// The VFs of one PF by state, as a pass left them: what `sriovctl_vfs{pf,state}` shows.
///
/// Every VF is either ``assigned`` or ``free``; ``drifted`` counts the assigned VFs whose
/// settings differ from the database, ``stale`` the free VFs that still carry a MAC (a departed
/// guest's, a quarantined or a foreign one). They are judged with the audit's comparisons
/// (``VFDrift``, the reset rule of ``AuditRepairPlan``), so a PF the agent keeps right shows
/// 0 stale and 0 drifted; what remains is what the agent left alone (a VF an attach or detach
/// is working on is assigned but never drifted; a VF the flap guard gave up on; with
/// `repair_running_guests: false`, a running guest's VF).
public struct VFStateCounts: Hashable, Sendable, Codable {
    /// VFs a lease holds.
    public var assigned: Int
    /// VFs nobody holds.
    public var free: Int
    /// Free VFs carrying a MAC.
    public var stale: Int
    /// Assigned VFs whose live settings differ from the database's.
    public var drifted: Int

    /// Creates counts.
    public init(assigned: Int = 0, free: Int = 0, stale: Int = 0, drifted: Int = 0) {
        self.assigned = assigned
        self.free = free
        self.stale = stale
        self.drifted = drifted
    }

    /// The counts of every PF of `input`, by the PF's name there (its netdev). VFs in `repaired`
    /// were just programmed with what they lacked, so they count as neither stale nor drifted.
    /// VFs whose live state could not be read are assigned or free, never stale or drifted.
    public static func count(_ input: AuditInput, repaired: Set<AuditVFID> = []) -> [String: VFStateCounts] {
        let context = AuditContext(input)
        var result: [String: VFStateCounts] = [:]
        for pf in input.pfs { result[pf.name] = VFStateCounts() }
        for observed in context.vfs {
            var counts = result[observed.id.pf] ?? VFStateCounts()
            let live = repaired.contains(observed.id) || observed.pf.readError != nil ? nil : observed.vf.live
            if let placement = context.placementByVF[observed.id] {
                counts.assigned += 1
                if !placement.assignment.inProgress, let live, VFDrift(expected: placement.expected, live: live) != nil {
                    counts.drifted += 1
                }
            } else {
                counts.free += 1
                if let live, !live.mac.isUnsetOrPlaceholder, context.guests(using: observed.id).isEmpty {
                    counts.stale += 1
                }
            }
            result[observed.id.pf] = counts
        }
        return result
    }
}
