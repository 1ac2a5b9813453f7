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

    @Test("--db wins over the config's state: url: the SQLite file is used and the fleet database is not touched")
    func dbOptionWins() async throws {
        let target = try PostgresTestCluster.shared.createDatabase()
        let host = try SimulatedHost(number: 5, target: target, vfs: 4)
        let db = host.dir + "/local.db"
        let attach = try await host.run(["attach", "web1", "--network", "prod", "--format", "json", "--db", db,
                                         SriovctlProcess.unprogrammedVFsMarker])
        #expect(attach.status == 0, "\(attach.stderr)")
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(try Self.sql(target, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == "0")
    }

    @Test("PostgreSQL down: attach and detach fail clearly and change nothing; provision restores every leased MAC from the cache")
    func databaseDown() async throws {
        let cluster = try PostgresTestCluster.start()
        defer { try? cluster.stop() }
        let target = try cluster.createDatabase()
        let host = try SimulatedHost(number: 6, target: target, vfs: 8)
        var macs: [String: String] = [:]
        for guest in ["web1", "web2", "db1"] {
            let attach = try await SriovctlProcess.run(host.attachArguments(guest))
            #expect(attach.status == 0, "\(attach.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(attach.stdout.utf8)) as? [String: Any]
            macs[guest] = try #require(object?["mac"] as? String)
        }
        let cachePath = host.dir + "/lib/fleet-cache.json"
        let attributes = try FileManager.default.attributesOfItem(atPath: cachePath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let cached = FileManager.default.contents(atPath: cachePath)

        try cluster.stopServer()
        let attach = try await SriovctlProcess.run(host.attachArguments("web3"))
        #expect(attach.status != 0)
        #expect(attach.stderr.contains("cannot reach the state database") && attach.stderr.contains("nothing was changed"),
                "\(attach.stderr)")
        let detach = try await host.run(["detach", "web1", "--network", "prod", SriovctlProcess.unprogrammedVFsMarker])
        #expect(detach.status != 0 && detach.stderr.contains("cannot reach the state database"), "\(detach.stderr)")
        #expect(FileManager.default.contents(atPath: cachePath) == cached, "a refused command leaves the cache as it was")

        let provision = try await host.run(["provision", "--no-netlink", "--dry-run", "--etc-root", host.dir + "/etc"])
        #expect(provision.status == 0, "\(provision.stderr)")
        #expect(provision.stderr.contains("provisioning from this host's cache \(cachePath)"), "\(provision.stderr)")
        for (guest, mac) in macs {
            #expect(provision.stdout.contains("(\(guest)): mac \(mac)"), "\(provision.stdout)")
        }

        try cluster.startServer()
        #expect(try cluster.psql(target, "SELECT count(*) FROM lease").trimmingCharacters(in: .whitespacesAndNewlines) == "3")
    }

    @Test("PostgreSQL stopped in the middle of a run of attaches: each completed or failed cleanly; nothing half-written")
    func databaseStopsMidRun() async throws {
        let cluster = try PostgresTestCluster.start()
        defer { try? cluster.stop() }
        let target = try cluster.createDatabase()
        let host = try SimulatedHost(number: 7, target: target, vfs: 40)
        let guests = (0..<24).map { "g\($0)" }
        let first = try await SriovctlProcess.run(host.attachArguments("first"))
        #expect(first.status == 0, "\(first.stderr)")
        // The server is stopped (fast shutdown: connections are cut) once the first attaches
        // are recorded, while the others wait for the host's lock or are half-way through.
        async let runs = SriovctlProcess.runAtOnce(guests.map { host.attachArguments($0) })
        try await BlockingWork.run {
            while Int(try cluster.psql(target, "SELECT count(*) FROM assignment WHERE state = 'applied'")
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 < 4 {}
            try cluster.stopServer()
        }
        let results = await runs
        try cluster.startServer()
        // One more attach after the restart repairs what an interrupted one left (crash repair).
        let after = try await SriovctlProcess.run(host.attachArguments("after"))
        #expect(after.status == 0, "\(after.stderr)")
        let rows = try cluster.psql(target, "SELECT g.name || ' ' || a.state FROM assignment a JOIN lease l ON l.id = a.lease_id "
                                    + "JOIN guest g ON g.id = l.guest_id")
        let recorded = Dictionary(uniqueKeysWithValues: rows.split(separator: "\n").map {
            let parts = $0.split(separator: " ")
            return (String(parts[0]), String(parts[1]))
        })
        var completed = 0
        for (guest, result) in zip(guests, results) {
            let run = try result.get()
            if run.status == 0 {
                completed += 1
                #expect(recorded[guest] == "applied", "\(guest) completed, so its VF is recorded applied")
            } else {
                #expect(recorded[guest] == nil, "\(guest) failed, so it holds no VF: \(run.stderr)")
                #expect(run.stderr.contains("state database"), "\(guest): \(run.stderr)")
            }
        }
        #expect(recorded.values.allSatisfy { $0 == "applied" }, "\(recorded)")
        #expect(recorded.count == completed + 2)
    }

    @Test("a guest attached on host A: attach on B is refused naming A; with --move both VFs carry its MAC until A detaches")
    func guestMoves() async throws {
        let target = try PostgresTestCluster.shared.createDatabase()
        let a = try SimulatedHost(number: 8, target: target, vfs: 4), b = try SimulatedHost(number: 9, target: target, vfs: 4)
        let first = try await SriovctlProcess.run(a.attachArguments("web1"))
        #expect(first.status == 0, "\(first.stderr)")
        let mac = try #require((try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])?["mac"] as? String)

        let refused = try await SriovctlProcess.run(b.attachArguments("web1"))
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("web1 on prod is attached on host") && refused.stderr.contains(String(a.id.prefix(8)))
                && refused.stderr.contains("--move"), "\(refused.stderr)")
        #expect(try Self.sql(target, "SELECT count(*) FROM assignment") == "1", "a refused attach records nothing")

        let moved = try await SriovctlProcess.run(b.attachArguments("web1") + ["--move"])
        #expect(moved.status == 0, "\(moved.stderr)")
        let movedMAC = (try JSONSerialization.jsonObject(with: Data(moved.stdout.utf8)) as? [String: Any])?["mac"] as? String
        #expect(movedMAC == mac, "the lease's MAC never changes")
        #expect(try Self.sql(target, "SELECT count(DISTINCT host_id) || ' ' || count(*) FROM assignment") == "2 2",
                "both hosts' VFs hold the lease while the guest moves")
        // leases names both hosts while the guest moves.
        let listed = try await b.run(["leases", "--json"])
        let row = try #require(((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["leases"]
                                as? [[String: Any]])?.first)
        #expect((row["host"] as? String)?.contains(String(b.id.prefix(8))) == true, "\(row)")
        #expect((row["otherHosts"] as? [String])?.first?.contains(String(a.id.prefix(8))) == true, "\(row)")
        let table = try await a.run(["leases"])
        #expect(table.stdout.contains("HOSTS") && table.stdout.contains("(here)"), "\(table.stdout)")
        // audit --fleet reads every host's records: a move in progress, not a duplicate.
        let audit = try await a.run(["audit", "--fleet", "--format", "json", "--fail-on", "critical"])
        #expect(audit.status == 0, "\(audit.stderr)")
        let findings = try #require((try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])?["findings"]
                                    as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["fleet-move-in-progress"], "\(audit.stdout)")
        #expect((findings.first?["message"] as? String)?.contains("web1 on prod is moving") == true)
        let auditTable = try await a.run(["audit", "--fleet", "--fail-on", "critical"])
        #expect(auditTable.status == 0 && auditTable.stdout.contains("web1 on prod is moving"), "\(auditTable.stdout)\(auditTable.stderr)")
        // A cannot drop the lease while B holds it; A's detach ends the move.
        let forget = try await a.run(["detach", "web1", "--network", "prod", "--forget", SriovctlProcess.unprogrammedVFsMarker])
        #expect(forget.status != 0 && forget.stderr.contains("is also attached on host"), "\(forget.stderr)")
        let detach = try await a.run(["detach", "web1", "--network", "prod", SriovctlProcess.unprogrammedVFsMarker])
        #expect(detach.status == 0, "\(detach.stderr)")
        #expect(try Self.sql(target, "SELECT a.host_id || ' ' || l.mac FROM assignment a JOIN lease l ON l.id = a.lease_id")
                == "\(b.id) \(mac)")
        let settled = try await b.run(["audit", "--fleet", "--format", "json"])
        #expect(settled.status == 0 && !settled.stdout.contains("fleet-move-in-progress"), "\(settled.stdout)")
        let afterMove = try await a.run(["leases", "--json"])
        #expect(afterMove.stdout.contains("\"elsewhere\""), "A lists the lease as attached elsewhere: \(afterMove.stdout)")
    }
}

extension FleetAttachTests {
    @Test("moving in: two SQLite states with a colliding MAC are refused with the list and the fix; without collisions all is moved")
    func moveIn() async throws {
        let target = try PostgresTestCluster.shared.createDatabase()
        let a = try SimulatedHost(number: 10, target: target, vfs: 4), b = try SimulatedHost(number: 11, target: target, vfs: 4)
        let dbA = a.dir + "/sqlite.db", dbB = b.dir + "/sqlite.db"
        // Each host alone, on its own SQLite file (--db wins over state:), same pool: the same first MAC.
        for (host, db, guests) in [(a, dbA, ["web1", "web2"]), (b, dbB, ["app1"])] {
            for guest in guests {
                let run = try await host.run(["attach", guest, "--network", "prod", "--format", "json", "--db", db,
                                              SriovctlProcess.unprogrammedVFsMarker])
                #expect(run.status == 0, "\(run.stderr)")
            }
        }
        let movedA = try await a.run(["state", "move-in", dbA])
        #expect(movedA.status == 0 && movedA.stdout.contains("moved 2 leases, 2 assigned VFs"), "\(movedA.stdout)\(movedA.stderr)")
        let refused = try await b.run(["state", "move-in", dbB])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("MAC 02:5a:00:00:00:00 is leased to app1 on prod here and to web1 on prod in the fleet database"),
                "\(refused.stderr)")
        let fix = "sriovctl detach app1 --network prod --forget --db \(dbB)"
        #expect(refused.stderr.contains(fix), "\(refused.stderr)")
        #expect(try Self.sql(target, "SELECT count(*) FROM lease") == "2", "a refused move-in copies nothing")
        // The resolution it names, then again: moved.
        let resolved = try await b.run(["detach", "app1", "--network", "prod", "--forget", "--db", dbB,
                                        SriovctlProcess.unprogrammedVFsMarker])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let movedB = try await b.run(["state", "move-in", dbB])
        #expect(movedB.status == 0, "\(movedB.stderr)")
        // leases agrees: host A lists what its SQLite file held, now from the fleet database.
        let local = try await a.run(["leases", "--json", "--db", dbA])
        let fleet = try await a.run(["leases", "--json"])
        func macs(_ run: SriovctlProcess.Result) throws -> [String] {
            let rows = (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["leases"] as? [[String: Any]]
            return (rows ?? []).compactMap { row in (row["state"] as? String) == "attached" ? "\(row["guest"]!) \(row["mac"]!)" : nil }
        }
        #expect(try macs(local) == macs(fleet) && macs(fleet).count == 2, "\(fleet.stdout)")
    }
}

/// The default MAC pool of SQLite hosts: allocation starts in a slice chosen from /etc/machine-id.
@Suite("sriovctl default MAC pool per host",
       .enabled(if: FileManager.default.fileExists(atPath: "/etc/machine-id"), "this machine has no /etc/machine-id"))
struct DefaultPoolSliceTests {
    @Test("without mac_pool an SQLite host's first guest gets the first MAC of its own slice, not 02:5a:00:00:00:00")
    func firstMACInHostSlice() async throws {
        let id = try String(contentsOfFile: "/etc/machine-id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let expected = try MACAllocator.allocate(from: MACPool.default.startingInHostSlice(machineID: id),
                                                 avoiding: MACUsage(snapshot: StateSnapshot()))
        let host = try AttachCommandTests.Host(try HostFixtures.netdevsim(), config: "networks:\n  - name: prod\n    pfs: [eni10np1]\n")
        let attach = try await host.attach("web1", ["--network", "prod", "--format", "json"])
        let json = try host.json(attach)
        #expect(json["mac"] as? String == expected.description)
        #expect(expected.description != "02:5a:00:00:00:00" || id.isEmpty)
    }
}
