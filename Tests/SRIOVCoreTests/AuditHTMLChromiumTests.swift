import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// Renders the HTML report in headless Chromium: the page must load without errors, show the
/// findings in its DOM, and make a non-empty screenshot. Skipped when Chromium is missing.
///
/// `AUDIT_SCREENSHOT_OUT=docs/audit-report.png` keeps the screenshot (how the one in docs/ is made).
@Suite("Audit HTML in Chromium", .enabled(if: Chromium.path != nil, "chromium is not installed (apt-get install chromium)"))
struct AuditHTMLChromiumTests {
    @Test("The showcase report loads in headless Chromium, with the findings in the DOM and a screenshot")
    func render() async throws {
        let report = AuditEngine.audit(AuditSnapshots.showcase(), generatedAt: "2026-01-15T09:30:00Z",
                                       generator: "sriovctl 0.1.0")
        #expect(report.summary.critical >= 1 && report.summary.error >= 1 && report.summary.warning >= 1)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("audit-html-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let page = dir.appendingPathComponent("report.html")
        try AuditHTMLRenderer.render(report).write(to: page, atomically: true, encoding: .utf8)

        let dom = try await Chromium.run(["--dump-dom", page.absoluteString], in: dir)
        #expect(dom.status == 0, "chromium --dump-dom failed: \(dom.stderr)")
        for finding in report.findings {
            // The DOM serializer escapes the same characters the renderer did.
            #expect(dom.stdout.contains(finding.message.replacing("&", with: "&amp;").replacing("<", with: "&lt;")
                                        .replacing(">", with: "&gt;")), "finding not in the DOM: \(finding.message)")
        }
        #expect(!dom.stderr.contains("Uncaught"), "page errors: \(dom.stderr)")

        let png = dir.appendingPathComponent("report.png")
        let shot = try await Chromium.run(["--screenshot=\(png.path)", "--window-size=1400,1800", "--hide-scrollbars",
                                     page.absoluteString], in: dir)
        #expect(shot.status == 0, "chromium --screenshot failed: \(shot.stderr)")
        let data = try Data(contentsOf: png)
        #expect(data.count > 10_000)
        #expect(data.prefix(8) == Data([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
        // No console errors from the page itself (a self-contained page fetches nothing).
        let consoleErrors = shot.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") && $0.contains("rror") }
        #expect(consoleErrors.isEmpty, "console errors: \(consoleErrors)")
        if let keep = ProcessInfo.processInfo.environment["AUDIT_SCREENSHOT_OUT"] {
            try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(atPath: png.path, toPath: keep)
        }
    }
}

/// Headless Chromium, run without a shell.
enum Chromium {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs chromium and suspends until it ends (``BlockingWork``: a browser takes seconds).
    static func run(_ arguments: [String], in dir: URL) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await BlockingWork.run { try blockingRun(arguments, in: dir) }
    }

    private static func blockingRun(_ arguments: [String], in dir: URL) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                             "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                             "--enable-logging=stderr", "--v=0"] + arguments
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = dir.path
        process.environment = env
        let out = dir.appendingPathComponent("stdout-\(UUID().uuidString)")
        let err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
