/// `audit --format html`: one self-contained page to send around.
///
/// Inline CSS, no script, no external resource (fonts, images, links off the page). Every
/// string from the database, the kernel or libvirt is escaped with ``XMLEscaping`` (the same
/// escaping as the libvirt XML; its entities are valid HTML). The page has the summary,
/// notices, the findings with their fix commands, a map of each PF's VFs, and the inventory
/// tables (PFs, VFs worth a look, guests, networks, MACs), one part per host.
public enum AuditHTMLRenderer {
    /// Renders `report` as a complete HTML document.
    public static func render(_ report: AuditReport) -> String {
        let fleet = report.host == nil
        let subject = fleet ? "fleet of \(report.hosts.count) hosts" : (report.host ?? "")
        var html = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>MAC audit: \(XMLEscaping.attribute(subject))</title>
        <style>
        \(AuditHTMLStyle.css)
        </style>
        </head>
        <body>

        """
        html += header(report, subject: subject)
        html += findings(report, fleet: fleet)
        html += "<section id=\"vf-maps\"><h2>VFs per PF</h2>\n" + VFMapHTML.legend()
        for section in report.hosts {
            if fleet { html += "<h3>\(XMLEscaping.attribute(section.host))</h3>\n" }
            if section.inventory.pfs.isEmpty { html += "<p>No SR-IOV PF.</p>\n" }
            for pf in section.inventory.pfs { html += VFMapHTML.render(pf) }
        }
        html += "</section>\n"
        for section in report.hosts { html += inventory(section, fleet: fleet) }
        html += "<footer>Written by \(XMLEscaping.attribute(report.generator)) · schema version \(report.schemaVersion)"
        html += " · severities: critical &gt; error &gt; warning &gt; info</footer>\n</body>\n</html>\n"
        return html
    }

    private static func header(_ report: AuditReport, subject: String) -> String {
        var html = "<header><h1>MAC audit: \(XMLEscaping.attribute(subject))</h1>\n<p class=\"meta\">"
        let parts = report.hosts.map { section -> String in
            var text = section.host
            if let at = section.generatedAt { text += " at \(at)" }
            text += section.libvirtChecked ? ", libvirt \(section.libvirtURI ?? "default URI") checked"
                                           : ", libvirt not checked"
            return XMLEscaping.attribute(text)
        }
        html += parts.joined(separator: "<br>") + "</p>\n<div class=\"badges\">"
        let summary = report.summary
        if summary.total == 0 {
            html += "<span class=\"badge clean\">no findings</span>"
        } else {
            for (severity, count) in [(AuditSeverity.critical, summary.critical), (.error, summary.error),
                                      (.warning, summary.warning), (.info, summary.info)] where count > 0 {
                html += "<span class=\"badge \(severity.rawValue)\">\(count) \(severity.rawValue)</span>"
            }
        }
        html += "</div></header>\n"
        let notices = report.hosts.flatMap { section in
            section.notices.map { report.host == nil ? "\(section.host): \($0)" : $0 }
        }
        if !notices.isEmpty {
            html += "<ul class=\"notices\">" + notices.map { "<li>\(XMLEscaping.attribute($0))</li>" }.joined() + "</ul>\n"
        }
        return html
    }

    private static func findings(_ report: AuditReport, fleet: Bool) -> String {
        var html = "<section id=\"findings\"><h2>Findings (\(report.findings.count))</h2>\n"
        guard !report.findings.isEmpty else { return html + "<p>Nothing found: the database, the VFs and the guests agree.</p></section>\n" }
        html += "<table><thead><tr><th>Severity</th><th>Rule</th>\(fleet ? "<th>Host</th>" : "")<th>Finding</th><th>Fix</th></tr></thead><tbody>\n"
        for finding in report.findings {
            let severity = finding.severity.rawValue
            html += "<tr class=\"sev-\(severity)\"><td><span class=\"badge \(severity)\">\(severity)</span></td>"
            html += "<td><code class=\"rule\">\(finding.rule.rawValue)</code></td>"
            if fleet { html += "<td>\(XMLEscaping.attribute(finding.hosts.joined(separator: ", ")))</td>" }
            html += "<td>\(XMLEscaping.attribute(finding.message))"
            html += "<div class=\"objects\">\(XMLEscaping.attribute(finding.objects.map(\.label).joined(separator: " · ")))</div></td>"
            html += "<td class=\"fix\">"
            html += finding.fix.map { "<code>\(XMLEscaping.attribute($0.commandLine))</code>" }.joined()
            html += finding.fix.isEmpty ? "—" : ""
            html += "</td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    private static func inventory(_ section: AuditHostSection, fleet: Bool) -> String {
        let tables = AuditInventoryTables(inventory: section.inventory, none: "—")
        let suffix = fleet ? ": \(section.host)" : ""
        var html = "<section class=\"inventory\"><h2>Inventory\(XMLEscaping.attribute(suffix))</h2>\n"
        html += "<h3>PFs</h3>\n" + table(tables.pfs, monoColumns: [1])
        html += "<h3>VFs</h3>\n"
        let hidden = tables.hiddenVFCount
        if hidden > 0 { html += "<p class=\"meta\">\(hidden) clean free VFs not listed.</p>\n" }
        html += table(tables.vfs, monoColumns: [1, 3, 4])
        html += "<h3>Guests</h3>\n" + table(tables.guests, monoColumns: [4, 6, 7], empty: "No guests.")
        html += "<div class=\"cols\"><div><h3>Networks</h3>\n" + table(tables.networks, empty: "No leases.")
        html += "</div><div><h3>MACs</h3>\n" + table(tables.macs, monoColumns: [0], empty: "No MACs.")
        html += "</div></div></section>\n"
        return html
    }

    private static func table(_ table: AuditInventoryTables.Table, monoColumns: Set<Int> = [], empty: String? = nil) -> String {
        if table.rows.isEmpty { return empty.map { "<p>\($0)</p>\n" } ?? "" }
        var html = "<table><thead><tr>" + table.header.map { "<th>\(XMLEscaping.attribute($0))</th>" }.joined()
        html += "</tr></thead><tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (i, cell) in row.enumerated() {
                html += (monoColumns.contains(i) ? "<td class=\"mono\">" : "<td>") + XMLEscaping.attribute(cell) + "</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody></table>\n"
    }
}
