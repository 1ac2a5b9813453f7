import SRIOVCore
import SRIOVTesting
import Testing

@Suite("Audit rendering")
struct AuditRenderTests {
    typealias S = AuditSnapshots

    /// The clean host with a leased MAC copied onto free VF 5 (a critical duplicate and a stale VF).
    func brokenReport() -> AuditReport {
        var input = S.cleanHost()
        input.pfs[0].vfs[5].live!.mac = S.poolMAC(1)
        input.notices = ["config: pool from /etc/sriovctl/config.yaml"]
        return AuditEngine.audit(input, generatedAt: "2026-01-02T03:04:05Z", generator: "sriovctl 0.1.0")
    }

    @Test("The table lists findings worst first with their fix, then the inventory")
    func table() {
        let text = AuditTableRenderer.render(brokenReport())
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Audit of host host01: 2 findings (1 critical, 1 error)")
        #expect(lines[1] == "snapshot at 2026-01-02T03:04:05Z, libvirt qemu:///system checked")
        #expect(lines[2] == "notice: config: pool from /etc/sriovctl/config.yaml")
        #expect(text.contains("""
            FINDINGS
            CRITICAL  duplicate-mac-vfs  MAC 02:5a:00:00:00:01 is live on 2 VFs: eth0 VF 0 (guest web1), eth0 VF 5 (free)
                      fix: sriovctl audit --fix --vf eth0:5
            ERROR     stale-leased-mac  eth0 VF 5 is free but carries MAC 02:5a:00:00:00:01, leased to web1 (prod)
                      fix: sriovctl audit --fix --vf eth0:5
            """))
        #expect(text.contains("VFS (5 clean free VFs not shown)"))
        #expect(lines.contains { $0.hasPrefix("eth0 VF 5") && $0.contains("stale !") })
        #expect(lines.contains { $0.hasPrefix("eth0  0000:0b:00.0  up     8    2         0        5     1") })
        #expect(lines.contains { $0.hasPrefix("app1   stopped  prod") })
        #expect(lines.contains { $0.hasPrefix("02:5a:00:00:00:01  lease web1 on prod slot 0; eth0 VF 0 (guest web1); eth0 VF 5 (free); guest web1 definition on 0000:0b:10.0") })
    }

    @Test("A clean host's table says so")
    func cleanTable() {
        let text = AuditTableRenderer.render(AuditEngine.audit(S.cleanHost()))
        #expect(text.hasPrefix("Audit of host host01: no findings\n"))
        #expect(!text.contains("FINDINGS"))
    }

    @Test("The HTML page is self-contained: inline CSS, no script, no external resource")
    func htmlSelfContained() {
        let html = AuditHTMLRenderer.render(brokenReport())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(html.contains("<style>"))
        for forbidden in ["<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import", "http://", "https://"] {
            #expect(!html.contains(forbidden), "page contains \(forbidden)")
        }
        #expect(html.contains("<span class=\"badge critical\">1 critical</span>"))
        #expect(html.contains("<code>sriovctl audit --fix --vf eth0:5</code>"))
        // The map: VF 5 is stale and flagged, VF 0 assigned to web1.
        #expect(html.contains("<div class=\"vf s-stale flag\" title=\"eth0 VF 5 · stale · MAC 02:5a:00:00:00:01"))
        #expect(html.contains("<div class=\"vf s-assigned flag\" title=\"eth0 VF 0 · assigned · guest web1"))
        #expect(html.contains("<b>0</b><span>web1</span>"))
    }

    @Test("Everything from the database, the kernel and libvirt is escaped in HTML")
    func htmlEscaping() {
        let evil = "<script>alert('x')</script>\"&"
        var input = S.cleanHost()
        input.leases.append(LeaseRecord(key: LeaseKey(guest: evil, network: "net<b>"), mac: S.poolMAC(3)))  // duplicate lease
        input.guests!.append(GuestDefinition(name: evil, uuid: "u", isActive: false, hostdevInterfaces: []))
        input.hostInterfaces.append(AuditHostInterface(name: "<i>br0", mac: S.poolMAC(1)))
        input.notices = ["libvirt: <b>skipped</b>"]
        let html = AuditHTMLRenderer.render(AuditEngine.audit(input, generator: "sriovctl <dev>"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b>skipped"))
        #expect(!html.contains("net<b>"))
        #expect(!html.contains("<i>br0"))
        #expect(!html.contains("<dev>"))
        #expect(html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;&quot;&amp;"))
        #expect(html.contains("host interface &lt;i&gt;br0"))
    }

    @Test("256 VFs per PF use the dense grid: 4 PFs give 1,024 cells")
    func htmlLargeHost() {
        let report = AuditEngine.audit(S.generated(breakEvery: 50))
        let html = AuditHTMLRenderer.render(report)
        #expect(html.components("<div class=\"grid dense\">") == 4)
        #expect(html.components("<div class=\"vf s-") == 1024 + 0)
        #expect(html.components("<div class=\"vf s-drifted") == 18)
        #expect(report.hosts[0].inventory.pfs.map { $0.count(.drifted) }.reduce(0, +) == 18)
    }

    @Test("The legend names every VF status")
    func legend() {
        let html = AuditHTMLRenderer.render(AuditEngine.audit(S.cleanHost()))
        for status in AuditVFStatus.allCases {
            #expect(html.contains("<span class=\"vf s-\(status.rawValue)\"></span>"))
        }
        #expect(html.contains("Nothing found"))
    }
}

extension String {
    /// How many times `needle` occurs.
    func components(_ needle: String) -> Int { split(separator: needle, omittingEmptySubsequences: false).count - 1 }
}
