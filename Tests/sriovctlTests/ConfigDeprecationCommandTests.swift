import Foundation
import SRIOVTesting
import Testing

/// An old spelling the config file still accepts is noted on stderr by the command that reads
/// it, and the command does its work as with the new spelling.
@Suite("sriovctl: config deprecation notes")
struct ConfigDeprecationCommandTests {
    @Test("a top-level agent_api: section works and gets a note on stderr naming file:line; agent: api: gets none")
    func agentAPI() async throws {
        let network = "networks:\n  - name: prod\n    pfs: [eni10np1]\n"
        let old = try AttachCommandTests.Host(try HostFixtures.netdevsim(), config: "agent_api:\n  group: sriovctl\n" + network)
        let new = try AttachCommandTests.Host(try HostFixtures.netdevsim(), config: "agent:\n  api:\n    group: sriovctl\n" + network)
        let oldRun = try await old.attach("web1", ["--network", "prod", "--format", "json"])
        let newRun = try await new.attach("web1", ["--network", "prod", "--format", "json"])
        #expect(oldRun.status == 0 && newRun.status == 0, "\(oldRun.stderr)\(newRun.stderr)")
        #expect(oldRun.stderr.contains("note: \(old.configPath):2: agent_api: is deprecated; move its keys under agent: as api: (the same keys)\n"),
                "\(oldRun.stderr)")
        #expect(!newRun.stderr.contains("deprecated"), "\(newRun.stderr)")
        #expect(try old.json(oldRun)["mac"] as? String == (try new.json(newRun)["mac"] as? String))
    }
}
