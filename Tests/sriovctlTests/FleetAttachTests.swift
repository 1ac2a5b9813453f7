import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// Hosts of a fleet sharing one PostgreSQL state database (config `state:`), each a sysfs
/// fixture of its own with a host id of its own, driven through the built binary with
/// `--no-program` (no kernel behind a fixture).
@Suite("sriovctl with a fleet state database (PostgreSQL)",
       .enabled(if: PostgresTestCluster.unavailableReason == nil, Comment(rawValue: PostgresTestCluster.unavailableReason ?? "")))
struct FleetAttachTests {
    /// One simulated host: sysfs fixture, config naming the shared database, local directory.
    final class SimulatedHost: @unchecked Sendable {
        let sysfs: SysfsFixture
        let dir: String
        let id: String
        var configPath: String { dir + "/config.yaml" }

        init(number: Int, target: PostgresTarget, vfs: Int, extraConfig: String = "") throws {
            sysfs = try HostFixtures.netdevsim(numVFs: vfs)
            dir = NSTemporaryDirectory() + "sriovctl-fleet-\(UUID().uuidString)"
            id = String(repeating: String(number, radix: 16), count: 32)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try """
                state:
                  url: "\(PostgresTestCluster.url(target))"
                  password_file: \(target.passwordFile ?? "")
                  host_id: \(id)
                  local_dir: \(dir)/lib
                networks:
                  - name: prod
                    pfs: [eni10np1]
                mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
                \(extraConfig)
                """.write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func arguments(_ arguments: [String]) -> [String] {
            arguments + ["--sysfs-root", sysfs.root, "--config-file", configPath]
        }

        func run(_ arguments: [String]) async throws -> SriovctlProcess.Result {
            try await SriovctlProcess.run(self.arguments(arguments))
        }

        func attachArguments(_ guest: String) -> [String] {
            arguments(["attach", guest, "--network", "prod", "--format", "json", SriovctlProcess.unprogrammedVFsMarker])
        }
    }

    static func sql(_ target: PostgresTarget, _ query: String) throws -> String {
        try PostgresTestCluster.shared.psql(target, query).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("three hosts attach 300 guests at once: 0 duplicate MACs, 0 duplicate VFs, every guest attached once")
    func threeHostsThreeHundredGuests() async throws {
        let target = try PostgresTestCluster.shared.createDatabase()
        let hosts = try (1...3).map { try SimulatedHost(number: $0, target: target, vfs: 100) }
        // Every host's attaches in flight at once, four processes per host at a time (a host's
        // own attaches take turns on its operation lock; the hosts meet only in the database).
        var lists: [[String]] = []
        for i in 0..<100 { for (h, host) in hosts.enumerated() { lists.append(host.attachArguments("h\(h + 1)-g\(i)")) } }
        var failures: [String] = []
        for wave in stride(from: 0, to: lists.count, by: 12) {
            let results = await SriovctlProcess.runAtOnce(Array(lists[wave..<min(wave + 12, lists.count)]))
            for result in results {
                switch result {
                case .success(let run) where run.status != 0: failures.append(run.stderr)
                case .failure(let error): failures.append("\(error)")
                default: break
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(try Self.sql(target, "SELECT count(*) || ' ' || count(DISTINCT mac) FROM lease") == "300 300")
        #expect(try Self.sql(target, "SELECT count(*) || ' ' || count(DISTINCT (pf_id, vf_index)) || ' ' || count(DISTINCT lease_id) "
                             + "FROM assignment") == "300 300 300")
        #expect(try Self.sql(target, "SELECT string_agg(n::text, ',' ORDER BY n) FROM (SELECT count(*) AS n FROM assignment "
                             + "GROUP BY host_id) c") == "100,100,100")
        // Each host lists the fleet's leases, and holds 100 VFs of its own.
        let listed = try await hosts[0].run(["leases", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        let leases = try #require((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["leases"]
                                  as? [[String: Any]])
        #expect(leases.count == 300)
    }

    @Test("credentials never appear in output: the password is in no stdout, stderr or --json")
    func noCredentialsInOutput() async throws {
        let cluster = try PostgresTestCluster.shared
        let target = try cluster.createDatabase()
        let host = try SimulatedHost(number: 4, target: target, vfs: 4)
        let attach = try await host.run(["attach", "web1", "--network", "prod", "--format", "json",
                                                 SriovctlProcess.unprogrammedVFsMarker, "-v"])
        #expect(attach.status == 0, "\(attach.stderr)")
        for run in [attach, try await host.run(["leases", "--json"]), try await host.run(["leases"])] {
            #expect(!run.stdout.contains(cluster.password) && !run.stderr.contains(cluster.password))
        }
        // A wrong password: the error names the database and the failure, not the password.
        let wrong = host.dir + "/wrong"
        FileManager.default.createFile(atPath: wrong, contents: Data("guessed-secret\n".utf8), attributes: [.posixPermissions: 0o600])
        let config = try String(contentsOfFile: host.configPath, encoding: .utf8)
            .replacingOccurrences(of: "password_file: \(target.passwordFile ?? "")", with: "password_file: \(wrong)")
        try config.write(toFile: host.configPath, atomically: true, encoding: .utf8)
        let refused = try await SriovctlProcess.run(host.attachArguments("web2"))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("password authentication failed") && refused.stderr.contains(target.description))
        #expect(!refused.stderr.contains("guessed-secret") && !refused.stdout.contains("guessed-secret"))
    }
}
