/// The guests' VFs as the state database records them: every assignment, in any state
/// (a VF that is being attached or detached still belongs to a guest), with the settings
/// the attach programmed (``AssignmentRecord/desired``).
///
/// Run ``IntentRepair`` first (provision does, except in a dry run or `--guest` mode) so
/// rows a crashed process left behind are rolled back or completed before they count.
public struct StoredAssignedVFs: AssignedVFSource {
    /// The state database.
    public var store: any StateStoring

    /// Creates a source over `store`.
    public init(store: any StateStoring) { self.store = store }

    public func assignedVFs() throws(SRIOVError) -> [AssignedVF] {
        try store.read().assignments.map {
            AssignedVF(pfDevice: $0.vf.pf.device, pfPermanentMAC: $0.vf.pf.permanentMAC, vfIndex: $0.vf.index,
                       guest: $0.lease.guest, settings: $0.desired)
        }
    }
}
