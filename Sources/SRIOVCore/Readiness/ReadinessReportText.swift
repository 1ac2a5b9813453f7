/// Renders a ``ReadinessReport`` for a terminal: host checks grouped by area, then each
/// PF with its VFs; `[ OK ]`/`[WARN]`/`[FAIL]` in front of each check; what was seen under
/// every check, why and the fix (commands indented) under warnings and failures.
public enum ReadinessReportText {
    /// The text; ends with a one-line verdict naming the exit code.
    public static func render(_ report: ReadinessReport) -> String {
        var out: [String] = []
        out.append(hostLine(report.host))

        let sections: [(ReadinessArea, String)] = [(.iommu, "IOMMU"), (.interrupts, "Interrupts"), (.vfio, "VFIO")]
        for (area, heading) in sections {
            let checks = report.checks.filter { $0.id.area == area }
            guard !checks.isEmpty else { continue }
            out.append("")
            out.append(heading)
            for check in checks { out += lines(check) }
        }

        var currentPF: String?
        for check in report.checks where check.id.area == .pf || check.id.area == .vf {
            guard let subject = check.subject else { continue }
            if subject.pf != currentPF {
                currentPF = subject.pf
                out.append("")
                let address = subject.pfAddress.map(\.description)
                out.append("PF \(subject.pf)" + (address.map { $0 == subject.pf ? "" : " (\($0))" } ?? ""))
            }
            out += lines(check)
        }
        if report.checks.allSatisfy({ $0.subject == nil }) {
            out.append("")
            out.append("No SR-IOV PF found (no PCI device with sriov_totalvfs): only host checks ran.")
        }

        out.append("")
        out.append("Result: \(report.count(.fail)) failed, \(report.count(.warn)) warning\(report.count(.warn) == 1 ? "" : "s"), "
                   + "\(report.count(.pass)) passed (exit \(report.exitCode))")
        return out.joined(separator: "\n")
    }

    static func hostLine(_ host: ReadinessHostSummary) -> String {
        var parts: [String] = []
        parts.append(host.distributionName ?? host.distribution ?? "unknown distribution")
        parts.append(host.kernelRelease.map { "kernel \($0)" } ?? "kernel release unknown")
        parts.append("CPU \(host.cpuVendor)" + (host.virtualMachine ? " (virtual machine)" : ""))
        parts.append("IOMMU \(host.iommuKind.rawValue) (\(host.iommuEvidence))")
        parts.append("boot loader \(host.bootLoader)")
        return "Host: " + parts.joined(separator: ", ")
    }

    static func lines(_ check: ReadinessCheck) -> [String] {
        var title = check.title
        if let vf = check.subject?.vf {
            title = "VF \(vf)" + (check.subject?.vfAddress.map { " \($0)" } ?? "") + ": " + title
        }
        var out = ["  \(check.status.label) \(title)"]
        let pad = "         "
        out.append(pad + "seen: " + check.observed)
        if check.status != .pass {
            out.append(pad + "why:  " + check.why)
        }
        if let fix = check.fix, check.status != .pass || fix.optional {
            out.append(pad + (fix.optional ? "tip:  " : "fix:  ") + fix.summary)
            for (n, step) in fix.steps.enumerated() {
                out.append(pad + "      \(n + 1). " + step.text)
                if let line = step.fileLine { out.append(pad + "           " + line) }
                if let command = step.command { out.append(pad + "           " + command) }
            }
        }
        return out
    }
}
