/// The text `sriovctl provision` prints: the plan, then what happened, then one summary line.
public enum ProvisionReportRenderer {
    /// The plan: per PF its steps (or "already as configured"), refusals and notes; then
    /// the `max_vfs` modules.
    public static func renderPlan(_ report: ProvisionReport) -> String {
        var lines: [String] = []
        for pf in report.pfs {
            lines.append(heading(pf))
            if pf.steps.isEmpty && pf.errors.isEmpty { lines.append("  already as configured") }
            for step in pf.steps {
                lines.append("  - \(step.step.summary)")
                lines += step.step.details.map { "      \($0)" }
            }
            lines += pf.errors.map { "  ! \($0.message)" }
            lines += pf.notes.map { "  note: \($0)" }
        }
        for module in report.modules {
            let plan = module.plan
            lines.append("module \(plan.module.module) (\(plan.module.path)):")
            if let contents = plan.contents {
                let options = contents.split(separator: "\n").last { $0.hasPrefix("options ") }.map(String.init) ?? ""
                lines.append(plan.writeFile ? "  - write \(options)" + (plan.module.currentContents == nil ? "" : " (replaces the file)")
                                            : "  file already says \(options)")
            }
            if plan.reload { lines.append("  - reload the module (modprobe -r \(plan.module.module); modprobe \(plan.module.module))") }
            lines += module.errors.map { "  ! \($0.message)" }
            lines += plan.notes.map { "  note: \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// What happened, per PF and module (after a real run).
    public static func renderResults(_ report: ProvisionReport) -> String {
        var lines: [String] = []
        for pf in report.pfs {
            switch pf.status {
            case .asConfigured:
                lines.append("\(pf.name): already as configured")
            case .changed:
                lines.append("\(pf.name): done in \(ms(pf.vfCreationTime + pf.vfioTime + pf.programmingTime))\(timings(pf))")
            case .pending:
                lines.append("\(pf.name): waiting for a module reload or reboot")
            case .planned:
                lines.append("\(pf.name): planned")
            case .failed:
                lines.append("\(pf.name): FAILED\(timings(pf))")
                let errors = pf.allErrors
                lines += errors.prefix(maxErrorLines).map { "  error: \($0.message)" }
                if errors.count > maxErrorLines {
                    lines.append("  ... and \(errors.count - maxErrorLines) more errors (--json lists them all)")
                }
                let skipped = pf.steps.filter { $0.status == .skipped }
                if !skipped.isEmpty { lines.append("  skipped: " + skipped.map(\.step.summary).joined(separator: "; ")) }
            }
            lines += pf.steps.flatMap(\.notes).map { "  note: \($0)" }
        }
        for module in report.modules {
            let name = "module \(module.plan.module.module)"
            switch module.status {
            case .failed:
                lines.append("\(name): FAILED")
                lines += module.errors.map { "  error: \($0.message)" }
            case .changed:
                var done: [String] = []
                if module.plan.writeFile { done.append("wrote \(module.plan.module.path)") }
                if module.plan.reload { done.append("reloaded") }
                lines.append("\(name): \(done.joined(separator: ", "))")
            default:
                lines.append("\(name): \(module.plan.module.path) already as configured")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The last line: `nothing to do: 3 PFs already as configured`, or counts by outcome.
    public static func renderSummary(_ report: ProvisionReport) -> String {
        let summary = report.summary
        let pfs = "\(summary.pfs) PF\(summary.pfs == 1 ? "" : "s")"
        if report.nothingToDo {
            if let guest = report.guest {
                return summary.pfs == 0 ? "nothing to do: guest \(guest) holds no VF"
                    : "nothing to do: the VFs of guest \(guest) are already as configured (\(pfs))"
            }
            return "nothing to do: \(pfs) already as configured"
        }
        var parts: [String] = []
        if report.dryRun {
            if summary.planned > 0 { parts.append("\(summary.planned) to change") }
        } else if summary.changed > 0 {
            parts.append("\(summary.changed) changed")
        }
        if summary.asConfigured > 0 { parts.append("\(summary.asConfigured) already as configured") }
        if summary.pending > 0 { parts.append("\(summary.pending) waiting for a module reload or reboot") }
        if summary.failed > 0 { parts.append("\(summary.failed) failed") }
        let moduleFailures = report.modules.filter { $0.status == .failed }.count
        if moduleFailures > 0 { parts.append("\(moduleFailures) module\(moduleFailures == 1 ? "" : "s") failed") }
        let prefix = report.dryRun ? "dry run, nothing changed: " : ""
        return prefix + "\(pfs): " + parts.joined(separator: ", ")
    }

    /// Errors shown per PF before the rest are summed up (a driver refusing one setting fails every VF).
    static let maxErrorLines = 10

    private static func heading(_ pf: PFOutcome) -> String {
        var text = pf.name
        if let selector = pf.selector, selector.description != pf.device, selector.description != pf.netdev {
            text += " [\(selector)]"
        }
        if let source = pf.source { text += ", \(source)" }
        if pf.selector == nil { text += ", guests' VFs only" }
        return text + ":"
    }

    private static func timings(_ pf: PFOutcome) -> String {
        var parts: [String] = []
        if pf.vfCreationTime > .zero { parts.append("VF creation \(ms(pf.vfCreationTime))") }
        if pf.vfioTime > .zero { parts.append("vfio-pci \(ms(pf.vfioTime))") }
        if pf.netlinkRequests > 0 {
            parts.append("VF programming \(ms(pf.programmingTime)) in \(pf.netlinkRequests) netlink request"
                         + (pf.netlinkRequests == 1 ? "" : "s"))
        }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    private static func ms(_ duration: Duration) -> String {
        let value = milliseconds(duration)
        if value >= 100 { return "\(Int(value.rounded())) ms" }
        return "\(Double(Int(value * 10)) / 10) ms"
    }
}
