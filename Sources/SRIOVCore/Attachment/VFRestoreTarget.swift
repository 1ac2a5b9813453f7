/// What to put back on a VF: after a failed attach (its state just before), on detach
/// (its state before sriovctl took it), or when repairing a crashed operation.
public enum VFRestoreTarget {
    /// For every field set in `attempted`, the value `state` had; fields `state` does not
    /// report get ``VFSettings/reset``'s value (rates: 0). With no state at all: the reset.
    public static func settings(undoing attempted: VFSettings, to state: VFState?) -> VFSettings {
        guard let state else {
            return VFSettings.reset.merging(VFSettings(minTxRate: 0, maxTxRate: 0)).onlyFields(of: attempted)
        }
        let reset = VFSettings.reset
        var out = VFSettings()
        if attempted.mac != nil { out.mac = state.mac }
        if attempted.vlan != nil { out.vlan = state.vlan }
        if attempted.spoofCheck != nil { out.spoofCheck = state.spoofCheck ?? reset.spoofCheck }
        if attempted.trust != nil { out.trust = state.trust ?? reset.trust }
        if attempted.linkState != nil { out.linkState = state.linkState ?? reset.linkState }
        if attempted.minTxRate != nil { out.minTxRate = state.minTxRate ?? 0 }
        if attempted.maxTxRate != nil { out.maxTxRate = state.maxTxRate ?? 0 }
        return out
    }

    /// What a detach puts back: the saved state for the fields the assignment set, except
    /// that a saved MAC that is now some lease's or quarantined becomes the zero MAC (a
    /// free VF never carries a guest's MAC). With `reset`, ``VFSettings/reset``.
    public static func onDetach(_ assignment: AssignmentRecord, snapshot: StateSnapshot,
                                reset: Bool = false) -> VFSettings {
        if reset { return VFSettings.reset }
        var out = settings(undoing: assignment.desired, to: assignment.savedState)
        if let mac = out.mac, !mac.isZero,
           snapshot.lease(mac: mac) != nil || snapshot.quarantined(mac) != nil || mac == assignment.desired.mac {
            out.mac = .zero
        }
        return out
    }
}
