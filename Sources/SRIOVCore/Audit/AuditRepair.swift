/// Carries out an ``AuditRepairPlan``: one apply per PF through netlink, each VF's outcome
/// as a line (`eth0:3: reset (stale free VF) done`). A dry run only says what it would do.
struct AuditRepair {
    let links: any VFLinkControlling
    let dryRun: Bool

    /// The lines saying what was skipped, done, failed or would be done.
    func run(_ plan: AuditRepairPlan) -> [String] {
        var lines = plan.skipped.map { "\($0.vf): skipped, \($0.reason)" }
        if plan.actions.isEmpty {
            return lines + ["nothing to repair"]
        }
        let actions = Dictionary(plan.actions.map { ($0.vf, $0) }, uniquingKeysWith: { first, _ in first })
        for (pf, changes) in plan.changesByPF {
            if dryRun {
                for change in changes {
                    guard let action = actions[AuditVFID(pf: pf, index: change.index)] else { continue }
                    lines.append("\(action.vf): would \(action.kind.rawValue) (\(action.reason))")
                }
                continue
            }
            var valid: [VFChange] = []
            for change in changes {
                do {
                    try change.settings.validate(vfIndex: change.index, pf: pf)
                    valid.append(change)
                } catch {
                    lines.append(error.message)
                }
            }
            let report = links.apply(valid, on: pf)
            for outcome in report.outcomes {
                let id = AuditVFID(pf: pf, index: outcome.index)
                let what = actions[id].map { "\($0.kind.rawValue) (\($0.reason))" } ?? "repair"
                if let error = outcome.error {
                    lines.append("\(id): \(what) failed: \(error.message)")
                } else {
                    lines.append("\(id): \(what) done")
                }
                lines += outcome.notes.map { "\(id): note: \($0)" }
            }
        }
        return lines
    }
}
