/// The picture of a PF's VFs in the HTML report: one cell per VF, coloured by status,
/// outlined with a `!` when a finding of error or worse names it, with its index and holder.
///
/// A CSS grid (no script, no image): cells wrap to the page width, and PFs with more than
/// 64 VFs use a denser 32-column layout so 256 VFs fit in 8 rows. Each cell's `title`
/// carries the details for a mouse-over; the VF table below has them in print.
enum VFMapHTML {
    static let statusLabels: [(AuditVFStatus, String)] = [
        (.free, "free"), (.assigned, "assigned"), (.drifted, "drifted (differs from the database)"),
        (.stale, "stale (free, carries a MAC)"), (.foreign, "foreign (a guest sriovctl did not assign)"),
        (.unknown, "unknown (not read)"),
    ]

    /// The legend shown once above the maps.
    static func legend() -> String {
        var html = "<div class=\"legend\">"
        for (status, label) in statusLabels {
            html += "<span><span class=\"vf s-\(status.rawValue)\"></span>\(XMLEscaping.attribute(label))</span>"
        }
        html += "<span><span class=\"vf s-assigned flag\"></span>named by an error or critical finding</span></div>\n"
        return html
    }

    /// One PF's figure.
    static func render(_ pf: AuditInventoryPF) -> String {
        let counts = AuditVFStatus.allCases.compactMap { status -> String? in
            let n = pf.count(status)
            return n > 0 ? "\(n) \(status.rawValue)" : nil
        }.joined(separator: ", ")
        var caption = "<strong>\(XMLEscaping.attribute(pf.name))</strong>"
        if let pci = pf.pciAddress { caption += " <span class=\"mono\">\(pci)</span>" }
        if let state = pf.operState { caption += " · \(XMLEscaping.attribute(state))" }
        caption += " · \(pf.vfs.count) VFs <span class=\"counts\">(\(XMLEscaping.attribute(counts)))</span>"
        if let error = pf.readError { caption += "<br><em>live VF state not read: \(XMLEscaping.attribute(error))</em>" }
        var html = "<figure class=\"pf\"><figcaption>\(caption)</figcaption>\n"
        html += "<div class=\"grid\(pf.vfs.count > 64 ? " dense" : "")\">"
        for vf in pf.vfs {
            let flagged = (vf.worstFinding ?? .info) >= .error
            var title = "\(pf.name) VF \(vf.index) · \(vf.status.rawValue)"
            if let guest = vf.guest { title += " · guest \(guest)" }
            if let network = vf.network { title += " · \(network)" }
            if let mac = vf.mac { title += " · MAC \(mac)" }
            if let expected = vf.expectedMAC, expected != vf.mac { title += " (database: \(expected))" }
            if let vlan = vf.vlan, vlan != "0" { title += " · VLAN \(vlan)" }
            if let pci = vf.pciAddress { title += " · \(pci)" }
            if let worst = vf.worstFinding { title += " · worst finding: \(worst.rawValue)" }
            html += "<div class=\"vf s-\(vf.status.rawValue)\(flagged ? " flag" : "")\" title=\"\(XMLEscaping.attribute(title))\">"
            html += "<b>\(vf.index)</b>"
            if let guest = vf.guest { html += "<span>\(XMLEscaping.attribute(guest))</span>" }
            html += "</div>"
        }
        html += "</div></figure>\n"
        return html
    }
}
