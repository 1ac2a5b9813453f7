import SRIOVCore

/// The text `provision` prints, the same directly and through the agent.
enum ProvisionOutput {
    /// The plan printed before it is applied (a real run, not `--json`, with planned steps), then a blank line.
    static func plan(_ prepared: ProvisioningService.Prepared, json: Bool) -> String {
        guard !json && prepared.hasPlannedSteps else { return "" }
        return ProvisionReportRenderer.renderPlan(prepared.report) + "\n\n"
    }

    /// A report: JSON, or the plan (dry run) / the outcome, then the summary line; the warnings
    /// for stderr, one line each.
    static func report(_ report: ProvisionReport, json: Bool) throws(SRIOVError) -> (stdout: String, warnings: [String]) {
        if json {
            do {
                return (try JSONOutput.render(report) + "\n", [])
            } catch {
                throw SRIOVError(.system, "cannot encode the report as JSON: \(error)")
            }
        }
        let warnings = report.warnings.map { "warning: \($0)" }
        if report.nothingToDo { return (ProvisionReportRenderer.renderSummary(report) + "\n", warnings) }
        let body = report.dryRun ? ProvisionReportRenderer.renderPlan(report) : ProvisionReportRenderer.renderResults(report)
        return (body + "\n" + ProvisionReportRenderer.renderSummary(report) + "\n", warnings)
    }
}
