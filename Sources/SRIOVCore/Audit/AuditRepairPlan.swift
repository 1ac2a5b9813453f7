/// What `sriovctl audit --fix` will do: re-apply the database's settings to drifted VFs and
/// reset stale free VFs, never touching a VF whose guest is running unless forced. Without
/// libvirt no guest is known to be stopped, so assigned VFs are left alone unless forced;
/// free VFs (per the database) are still reset.
///
/// Built from the same snapshot and the same comparisons (``VFDrift``) as the findings, so a
/// repaired host audits clean. Only drift and stale VFs are repaired; everything else needs
/// the operator (the findings say which command).
public struct AuditRepairPlan: Hashable, Sendable {
    /// One VF to change.
    public struct Action: Hashable, Sendable {
        /// What kind of repair.
        public enum Kind: String, Hashable, Sendable {
            /// Re-apply the assignment's settings (the drifted fields only).
            case reapply
            /// Reset a free VF (``VFSettings/reset``).
            case reset
        }

        /// The VF.
        public var vf: AuditVFID
        /// Re-apply or reset.
        public var kind: Kind
        /// What is sent to the kernel.
        public var settings: VFSettings
        /// Why, for the operator (`drift: mac ...`, `stale MAC 02:...`).
        public var reason: String
    }

    /// A VF that needs repair but is left alone, and why.
    public struct Skip: Hashable, Sendable {
        /// The VF.
        public var vf: AuditVFID
        /// Why it is left alone.
        public var reason: String

        /// Creates a skip record.
        public init(vf: AuditVFID, reason: String) {
            self.vf = vf
            self.reason = reason
        }
    }

    /// VFs to change, in PF then index order.
    public var actions: [Action]
    /// VFs left alone.
    public var skipped: [Skip]

    /// The changes per PF, in PF order: what ``VFLinkControlling/apply(_:on:)`` receives.
    public var changesByPF: [(pf: String, changes: [VFChange])] {
        var order: [String] = []
        var byPF: [String: [VFChange]] = [:]
        for action in actions {
            if byPF[action.vf.pf] == nil { order.append(action.vf.pf) }
            byPF[action.vf.pf, default: []].append(VFChange(index: action.vf.index, settings: action.settings))
        }
        return order.map { ($0, byPF[$0]!) }
    }

    /// Plans repairs for `input`. `only` limits the plan to those VFs (`--vf`); VFs it names that
    /// need no repair are simply absent. `forceRunning` allows touching VFs of running guests.
    public static func plan(_ input: AuditInput, only: Set<AuditVFID>? = nil, forceRunning: Bool = false) -> AuditRepairPlan {
        let context = AuditContext(input)
        var actions: [Action] = []
        var skipped: [Skip] = []
        for observed in context.vfs {
            guard only?.contains(observed.id) ?? true, observed.pf.readError == nil,
                  let live = observed.vf.live else { continue }
            let action: Action
            if let placement = context.placementByVF[observed.id] {
                guard !placement.assignment.inProgress, let drift = VFDrift(expected: placement.expected, live: live) else { continue }
                action = Action(vf: observed.id, kind: .reapply, settings: drift.repair,
                                reason: "drift: \(drift.summary)")
            } else {
                guard !live.mac.isUnsetOrPlaceholder,
                      context.guests(using: observed.id).isEmpty else { continue }
                action = Action(vf: observed.id, kind: .reset, settings: .reset, reason: "free VF carries MAC \(live.mac)")
            }
            if !forceRunning, let guest = context.runningGuest(holding: observed.id) {
                skipped.append(Skip(vf: observed.id, reason: "guest \(guest) is running (use --force-running)"))
            } else if !forceRunning, input.guests == nil, let guest = context.placementByVF[observed.id]?.assignment.lease.guest {
                // Without libvirt nothing says the guest is stopped: its VF is left alone too.
                skipped.append(Skip(vf: observed.id, reason: "guest \(guest) may be running: libvirt was not checked "
                                    + "(use --force-running)"))
            } else {
                actions.append(action)
            }
        }
        return AuditRepairPlan(actions: actions, skipped: skipped)
    }

    /// Whether the snapshot has a VF with this id (to reject a mistyped `--vf`).
    public static func knows(_ vf: AuditVFID, in input: AuditInput) -> Bool {
        input.pfs.contains { $0.name == vf.pf && $0.vfs.contains { $0.index == vf.index } }
    }
}
