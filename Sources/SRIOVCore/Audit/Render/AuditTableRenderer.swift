/// `audit --format table`: the report as text for a terminal.
///
/// Findings first (worst first, each with its fix command underneath), then per host the
/// inventory: PFs with VF counts, the VFs worth a look (assigned, carrying a MAC, or named
/// by a finding; clean free VFs are only counted), guests, networks and MACs.
public enum AuditTableRenderer {
    /// Renders `report`.
    public static func render(_ report: AuditReport) -> String {
        var out: [String] = []
        let fleet = report.host == nil
        let title = fleet ? "fleet of \(report.hosts.count) hosts (\(report.hosts.map(\.host).joined(separator: ", ")))"
                          : "host \(report.host ?? "")"
        out.append("Audit of \(title): \(report.summary.text)")
        for section in report.hosts {
            let prefix = fleet ? "\(section.host): " : ""
            var sources = "\(prefix)snapshot" + (section.generatedAt.map { " at \($0)" } ?? "")
            sources += section.libvirtChecked ? ", libvirt \(section.libvirtURI ?? "default URI") checked"
                                              : ", libvirt not checked"
            out.append(sources)
            for notice in section.notices { out.append("notice: \(prefix)\(notice)") }
        }

        if !report.findings.isEmpty {
            out.append("")
            out.append("FINDINGS")
            let width = AuditSeverity.allCases.map(\.rawValue.count).max()!
            for finding in report.findings {
                let severity = finding.severity.rawValue.uppercased()
                let pad = String(repeating: " ", count: width - severity.count)
                let host = fleet ? "[\(finding.hosts.joined(separator: ", "))] " : ""
                out.append("\(severity)\(pad)  \(finding.rule.rawValue)  \(host)\(finding.message)")
                let indent = String(repeating: " ", count: width + 2)
                for command in finding.fix { out.append("\(indent)fix: \(command.commandLine)") }
            }
        }

        for section in report.hosts {
            out.append("")
            out += inventory(section, heading: fleet ? " (\(section.host))" : "")
        }
        return out.joined(separator: "\n")
    }

    private static func inventory(_ section: AuditHostSection, heading: String) -> [String] {
        let tables = AuditInventoryTables(inventory: section.inventory, none: "-")
        var out: [String] = []
        func add(_ title: String, _ table: AuditInventoryTables.Table, empty: String? = nil) {
            guard !table.rows.isEmpty || empty != nil else { return }
            if !out.isEmpty { out.append("") }
            out.append(title + heading)
            if table.rows.isEmpty { out.append(empty!); return }
            var text = TextTable(header: table.header.map { $0.uppercased() })
            for row in table.rows { text.append(row) }
            out.append(text.render())
        }
        add("PFS", tables.pfs, empty: "(no SR-IOV PF)")
        for pf in section.inventory.pfs {
            if let error = pf.readError { out.append("\(pf.name): live VF state not read: \(error)") }
        }
        let hidden = tables.hiddenVFCount
        add("VFS" + (hidden > 0 ? " (\(hidden) clean free VFs not shown)" : ""), tables.vfs)
        add("GUESTS", tables.guests)
        add("NETWORKS", tables.networks)
        add("MACS", tables.macs)
        return out
    }
}
