import Foundation
import SRIOVTesting
import Testing
import SRIOVFrontEnd

/// The one exit-code table (docs/exit-codes.md) and the one error prefix, as a user meets
/// them through the built binary.
@Suite("sriovctl exit codes")
struct ExitStatusTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The rows of docs/exit-codes.md's table: code → name.
    static func documentedCodes() throws -> [Int32: String] {
        let text = try String(contentsOf: repository.appendingPathComponent("docs/exit-codes.md"), encoding: .utf8)
        var codes: [Int32: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            if cells.count >= 2, let code = Int32(cells[0]) { codes[code] = cells[1] }
        }
        return codes
    }

    @Test("docs/exit-codes.md lists exactly the codes the commands below exit with")
    func documentedTable() throws {
        #expect(try Self.documentedCodes() == [0: "success", 1: "failure", 2: "not checked", 64: "usage"])
    }

    @Test("Each code as documented, every error after the one prefix 'sriovctl: '")
    func codesAndPrefix() async throws {
        let fixture = try HostFixtures.netdevsim()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("exit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let host = ["--sysfs-root", fixture.root, "--db", scratch + "/state.db", "--config-file", scratch + "/none.yaml"]

        let list = try await SriovctlProcess.run(["list"] + host)
        #expect(list.status == 0)

        // 1: a refused value (vf set), a missing lease (detach).
        let refused = try await SriovctlProcess.run(["vf", "set", "eni10np1", "1", "--vlan", "4096"] + host)
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("sriovctl: eni10np1 VF 1: VLAN 4096 is out of range"))
        let noLease = try await SriovctlProcess.run(["detach", "web1", "--network", "prod"] + host)
        #expect(noLease.status == 1)
        #expect(noLease.stderr.hasPrefix("sriovctl: guest 'web1' has no lease"))

        // 2: audit could not audit, with the same prefix as every other command.
        let audit = try await SriovctlProcess.run(["audit", "--no-libvirt", "--no-netlink", "--vf", "eni10np1:1"] + host)
        #expect(audit.status == 2)
        #expect(audit.stderr == "sriovctl: --dry-run, --force-running and --vf only apply with --fix\n")

        // 64: the command line itself.
        let usage = try await SriovctlProcess.run(["vf", "set", "eni10np1", "1", "--trust", "maybe"] + host)
        #expect(usage.status == 64)
    }
}
