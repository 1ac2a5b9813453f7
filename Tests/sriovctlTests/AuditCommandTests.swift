import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// `sriovctl audit` run as a user runs it: formats, files, merge, exit statuses.
@Suite("sriovctl audit")
struct AuditCommandTests {
    /// A scratch directory removed at the end of the test.
    final class Scratch {
        let path: String
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-cmd-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: path) }
        func file(_ name: String) -> String { path + "/" + name }
        /// Writes a report as `audit --format json` would.
        func write(_ report: AuditReport, to name: String) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: file(name)))
            return file(name)
        }
    }

    /// Runs `audit` on a fixture without database, config or libvirt, and without netlink.
    func audit(_ fixture: SysfsFixture, _ scratch: Scratch, _ extra: [String]) async throws -> SriovctlProcess.Result {
        try await SriovctlProcess.run(["audit", "--sysfs-root", fixture.root, "--db", scratch.file("state.db"),
                                 "--config-file", scratch.file("none.yaml"), "--no-libvirt", "--no-netlink",
                                 "--host-name", "host01"] + extra)
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("A host with nothing attached audits clean (exit 0) and says what it could not read")
    func cleanTable() async throws {
        let scratch = try Scratch()
        let result = try await audit(try HostFixtures.intel82576(), scratch, [])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Audit of host host01: no findings")
        #expect(lines.contains { $0.hasPrefix("notice: database: ") && $0.hasSuffix("does not exist (nothing attached yet)") })
        #expect(lines.contains("notice: libvirt: not checked (--no-libvirt); orphan and mismatch checks skipped"))
        #expect(lines.contains("notice: netlink: not read (--no-netlink); drift and stale checks skipped"))
        #expect(lines.contains { $0.hasPrefix("eth0  0000:0b:00.0") })
        #expect(!FileManager.default.fileExists(atPath: scratch.file("state.db")), "audit must not create the database")
    }

    @Test("--format json: the documented shape, with the host name and host interface MACs")
    func jsonFormat() async throws {
        let scratch = try Scratch()
        let result = try await audit(try HostFixtures.intel82576(), scratch, ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["schemaVersion"] as? Int == 1)
        #expect(report["host"] as? String == "host01")
        let section = try #require((report["hosts"] as? [[String: Any]])?.first)
        #expect(section["libvirtChecked"] as? Bool == false)
        let inventory = try #require(section["inventory"] as? [String: Any])
        let pfs = try #require(inventory["pfs"] as? [[String: Any]])
        #expect(pfs.map { $0["name"] as? String } == ["eth0", "eth1"])
        #expect(pfs[0]["readError"] as? String == "not read (--no-netlink)")
        #expect((pfs[0]["vfs"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "unknown" } == true)
        let macs = try #require(inventory["macs"] as? [[String: Any]])
        #expect(macs.contains { $0["mac"] as? String == "00:1b:21:aa:bb:00" })
    }

    @Test("--format html --output writes one self-contained page, mode 0600; a link at the path is refused, never followed")
    func htmlOutput() async throws {
        let scratch = try Scratch()
        let target = scratch.file("victim")
        try "keep".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: scratch.file("link.html"), withDestinationPath: target)
        let refused = try await audit(try HostFixtures.mellanoxSplit(), scratch,
                                ["--format", "html", "--output", scratch.file("link.html")])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is a symbolic link to \(target); sriovctl does not write through links"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
        let result = try await audit(try HostFixtures.mellanoxSplit(), scratch,
                               ["--format", "html", "--output", scratch.file("audit.html")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let page = try String(contentsOfFile: scratch.file("audit.html"), encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("ens1f0") && !page.contains("<script"))
        let mode = try FileManager.default.attributesOfItem(atPath: scratch.file("audit.html"))[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test("--merge: the same MAC on two hosts is found, in every format; exit 1")
    func merge() async throws {
        let scratch = try Scratch()
        var second = AuditSnapshots.cleanHost()
        second.hostName = "host02"
        let a = try scratch.write(AuditEngine.audit(AuditSnapshots.cleanHost()), to: "a.json")
        let b = try scratch.write(AuditEngine.audit(second), to: "b.json")
        let result = try await SriovctlProcess.run(["audit", "--merge", a, b, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try json(result.stdout)
        #expect(report["host"] is NSNull)
        let findings = try #require(report["findings"] as? [[String: Any]])
        #expect(findings.count == 3 && findings.allSatisfy { $0["rule"] as? String == "duplicate-mac-hosts" })
        let table = try await SriovctlProcess.run(["audit", "--merge", a, b])
        #expect(table.stdout.hasPrefix("Audit of fleet of 2 hosts (host01, host02): 3 findings (2 critical, 1 error)"))
        #expect(table.stdout.contains("CRITICAL  duplicate-mac-hosts  [host01, host02] MAC 02:5a:00:00:00:01 is on 2 hosts"))
        let html = try await SriovctlProcess.run(["audit", "--merge", a, b, "--format", "html"])
        #expect(html.stdout.contains("<h3>host02</h3>"))
        // Only critical findings fail with --fail-on critical; none fail above that.
        #expect(try await SriovctlProcess.run(["audit", "--merge", a, b, "--fail-on", "critical"]).status == 1)
    }

    @Test("--fail-on decides: a warning fails by default, not with --fail-on error")
    func failOn() async throws {
        let scratch = try Scratch()
        var input = AuditSnapshots.cleanHost()
        input.pfs[0].vfs[6].live!.mac = MACAddress("52:54:00:12:34:56")!
        let path = try scratch.write(AuditEngine.audit(input), to: "h.json")
        #expect(try await SriovctlProcess.run(["audit", "--merge", path]).status == 1)
        #expect(try await SriovctlProcess.run(["audit", "--merge", path, "--fail-on", "error"]).status == 0)
        let table = try await SriovctlProcess.run(["audit", "--merge", path])
        #expect(table.stdout.hasPrefix("Audit of host host01: 1 finding (1 warning)"))
    }

    @Test("Could not audit: exit 2 with a message naming the file or option")
    func couldNotAudit() async throws {
        let scratch = try Scratch()
        try "{\"schemaVersion\": 1}".write(toFile: scratch.file("bad.json"), atomically: true, encoding: .utf8)
        let bad = try await SriovctlProcess.run(["audit", "--merge", scratch.file("bad.json")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("bad.json: not an audit JSON report (missing key 'generator')"))
        let missing = try await SriovctlProcess.run(["audit", "--merge", scratch.file("nope.json")])
        #expect(missing.status == 2 && missing.stderr.contains("nope.json: cannot read the report"))
        let fixture = try HostFixtures.netdevsim()
        let vfWithoutFix = try await audit(fixture, scratch, ["--vf", "eni10np1:1"])
        #expect(vfWithoutFix.status == 2)
        #expect(vfWithoutFix.stderr == "sriovctl: --dry-run, --force-running and --vf only apply with --fix\n")
        let fixWithoutNetlink = try await audit(fixture, scratch, ["--fix"])
        #expect(fixWithoutNetlink.status == 2 && fixWithoutNetlink.stderr.contains("--no-netlink"))
    }

    @Test("--fix --vf names an unknown VF plainly (exit 2)")
    func unknownVF() async throws {
        let scratch = try Scratch()
        let fixture = try HostFixtures.netdevsim()
        let result = try await SriovctlProcess.run(["audit", "--sysfs-root", fixture.root, "--db", scratch.file("state.db"),
                                              "--config-file", scratch.file("none.yaml"), "--no-libvirt",
                                              "--fix", "--vf", "eni10np1:9"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--vf 'eni10np1:9': no such VF on this host (PFs: eni10np1 (4 VFs))"))
    }

    @Test("libvirt unreachable: a notice, and the audit goes on")
    func libvirtUnreachable() async throws {
        let scratch = try Scratch()
        let fixture = try HostFixtures.netdevsim()
        let result = try await SriovctlProcess.run(["audit", "--sysfs-root", fixture.root, "--db", scratch.file("state.db"),
                                              "--config-file", scratch.file("none.yaml"), "--no-netlink",
                                              "--connect", "test://" + scratch.file("missing.xml")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("notice: libvirt: test://\(scratch.file("missing.xml")) not reachable ("))
        #expect(result.stdout.contains("orphan and mismatch checks skipped"))
    }
}
