import Foundation
import SRIOVLinux
import SRIOVTesting
import Testing

/// `sriovctl --version`, run as a user runs it: the version and the commit it was built from.
@Suite("sriovctl --version")
struct VersionCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// `git rev-parse --short=7 HEAD` of this checkout, or nil outside git.
    static func headCommit() async -> String? {
        guard let result = try? await ChildProcess.run("/usr/bin/git", ["-C", repository, "rev-parse", "--short=7", "HEAD"],
                                                  environment: ProcessInfo.processInfo.environment),
              result.status == 0 else { return nil }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("--version prints 'sriovctl X.Y.Z (commit C)' on one line of stdout, C the checkout's commit")
    func versionNamesTheCommit() async throws {
        let result = try await SriovctlProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        let line = result.stdout.trimmingCharacters(in: .newlines)
        let pattern = /sriovctl (\d+)\.(\d+)\.(\d+) \(commit ([0-9a-f]{7,}(-modified)?|unknown)\)/
        let match = try #require(line.wholeMatch(of: pattern), "unexpected --version output: \(line)")
        if ProcessInfo.processInfo.environment["SRIOVCTL_BIN"] == nil, let head = await Self.headCommit() {
            // Built from this checkout by `swift test` a moment ago: the plugin saw this HEAD.
            #expect(match.output.4.hasPrefix(head), "built from \(head), --version says \(line)")
        }
    }
}
