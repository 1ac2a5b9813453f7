import SRIOVCore

/// Carries out an ``AuditRepairPlan`` for `audit --fix`: one apply per PF through netlink,
/// each VF's outcome on stderr (standard output carries the report), or to `say` (the agent
/// sends the lines back to the command that asked). `--dry-run` only prints.
struct AuditFixRunner {
    let linkControl: any VFLinkControlling
    let dryRun: Bool
    var say: (String) -> Void = { printError($0) }

    func run(_ plan: AuditRepairPlan) {
        for skip in plan.skipped {
            say("fix: \(skip.vf): skipped, \(skip.reason)")
        }
        if plan.actions.isEmpty {
            say("fix: nothing to repair")
            return
        }
        let actions = Dictionary(plan.actions.map { ($0.vf, $0) }, uniquingKeysWith: { first, _ in first })
        for (pf, changes) in plan.changesByPF {
            if dryRun {
                for change in changes {
                    guard let action = actions[AuditVFID(pf: pf, index: change.index)] else { continue }
                    say("fix: \(action.vf): would \(action.kind.rawValue) (\(action.reason))")
                }
                continue
            }
            var valid: [VFChange] = []
            for change in changes {
                do {
                    try change.settings.validate(vfIndex: change.index, pf: pf)
                    valid.append(change)
                } catch {
                    say("fix: \(error.message)")
                }
            }
            let report = linkControl.apply(valid, on: pf)
            for outcome in report.outcomes {
                let id = AuditVFID(pf: pf, index: outcome.index)
                let what = actions[id].map { "\($0.kind.rawValue) (\($0.reason))" } ?? "repair"
                if let error = outcome.error {
                    say("fix: \(id): \(what) failed: \(error.message)")
                } else {
                    say("fix: \(id): \(what) done")
                }
                for note in outcome.notes { say("fix: \(id): note: \(note)") }
            }
        }
    }
}
