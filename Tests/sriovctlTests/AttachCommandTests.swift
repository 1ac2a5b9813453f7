import Foundation
import SRIOVTesting
import Testing

/// attach, detach and leases run as a user runs them, against sysfs fixtures, with the
/// hidden `--no-program` flag standing in for netlink (there is no kernel behind a fixture).
@Suite("sriovctl attach, detach, leases")
struct AttachCommandTests {
    /// A fixture host, a config file and a state database path in a temp directory.
    final class Host: @unchecked Sendable {
        let sysfs: SysfsFixture
        let dir: String
        var db: String { dir + "/lib/state.db" }
        var configPath: String { dir + "/config.yaml" }

        init(_ sysfs: SysfsFixture, config: String) throws {
            self.sysfs = sysfs
            dir = NSTemporaryDirectory() + "sriovctl-attach-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }

        func run(_ arguments: [String]) async throws -> SriovctlProcess.Result {
            try await SriovctlProcess.run(arguments + ["--sysfs-root", sysfs.root, "--db", db, "--config-file", configPath])
        }

        /// ``run(_:)`` blocking the calling thread: only on a thread of the test's own.
        func runBlocking(_ arguments: [String]) throws -> SriovctlProcess.Result {
            try SriovctlProcess.runBlocking(arguments + ["--sysfs-root", sysfs.root, "--db", db, "--config-file", configPath])
        }

        func attach(_ guest: String, _ extra: [String] = []) async throws -> SriovctlProcess.Result {
            try await run(["attach", guest, "--no-program"] + extra)
        }

        func json(_ result: SriovctlProcess.Result) throws -> [String: Any] {
            #expect(result.status == 0, "stderr: \(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }

        func leases() async throws -> [[String: Any]] {
            let result = try await run(["leases", "--json"])
            return try #require(try json(result)["leases"] as? [[String: Any]])
        }
    }

    static let intelConfig = """
        networks:
          - name: prod
            pfs: [eth0, eth1]
            vlan: 100
            exclude_vfs: { eth0: [0] }
        mac_pool: { first: "02:5a:00:00:00:00", last: "02:5a:00:00:ff:ff" }
        """

    @Test("attach spells VLAN and QoS as vf set does (--vlan ID --qos Q); the old --vlan ID:QOS still works with a deprecation note")
    func vlanSpelling() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        let new = try await host.attach("web1", ["--network", "prod", "--vlan", "200", "--qos", "3", "--format", "json"])
        let newVLAN = try #require((try host.json(new)["settings"] as? [String: Any])?["vlan"] as? [String: Any])
        #expect(newVLAN["id"] as? Int == 200 && newVLAN["qos"] as? Int == 3)
        #expect(!new.stderr.contains("deprecated"))
        let old = try await host.attach("web2", ["--network", "prod", "--vlan", "200:3", "--format", "json"])
        let oldVLAN = try #require((try host.json(old)["settings"] as? [String: Any])?["vlan"] as? [String: Any])
        #expect(oldVLAN["id"] as? Int == 200 && oldVLAN["qos"] as? Int == 3)
        #expect(old.stderr.contains("note: --vlan ID:QOS is deprecated; use --vlan ID --qos QOS"))
        let both = try await host.attach("web3", ["--network", "prod", "--vlan", "200:3", "--qos", "3"])
        #expect(both.status == 64 && both.stderr.contains("give the QoS once"))
    }

    @Test("attach prints the libvirt interface XML for a free VF with the first pool MAC and the network VLAN")
    func attachPrintsXML() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        let result = try await host.attach("web1", ["--network", "prod"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("<interface type='hostdev' managed='yes'>"))
        #expect(result.stdout.contains("<mac address='02:5a:00:00:00:00'/>"))
        // VF 0 of eth0 is excluded: VF 1 is 0000:0b:10.2.
        #expect(result.stdout.contains("bus='0x0b' slot='0x10' function='0x2'"))
        #expect(result.stdout.contains("<tag id='100'/>"))
        #expect(result.stderr.contains("web1 on prod: attached: eth0 VF 1 (0000:0b:10.2), MAC 02:5a:00:00:00:00 (new lease)"))
        #expect(TempDirMode.of(host.db) == 0o600)
    }

    @Test("--format xl prints the Xen pci line; --format json the documented object")
    func formats() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        let xl = try await host.attach("xen1", ["--network", "prod", "--format", "xl"])
        #expect(xl.status == 0, "stderr: \(xl.stderr)")
        #expect(xl.stdout == "pci = [ '0000:0b:10.2' ]\n")
        #expect(xl.stderr.contains("xl pci-assignable-add 0000:0b:10.2"))
        let json = try host.json(try await host.attach("xen1", ["--network", "prod", "--format", "json"]))
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["mac"] as? String == "02:5a:00:00:00:00")
        #expect(json["vfIndex"] as? Int == 1)
        #expect(json["vfPciAddress"] as? String == "0000:0b:10.2")
        #expect((json["pf"] as? [String: Any])?["netdev"] as? String == "eth0")
        #expect(json["leaseCreated"] as? Bool == false)
    }

    @Test("detach keeps the lease; re-attach gives the same MAC; leases shows both states")
    func detachAndReattach() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        for guest in ["a", "b", "c"] {
            #expect(try await host.attach(guest, ["--network", "prod", "--format", "json"]).status == 0)
        }
        let detach = try await host.run(["detach", "b", "--network", "prod", "--no-program"])
        #expect(detach.status == 0, "stderr: \(detach.stderr)")
        #expect(detach.stdout.contains("lease kept (MAC 02:5a:00:00:00:01)"))
        var leases = try await host.leases()
        #expect(leases.map { $0["guest"] as? String } == ["a", "b", "c"])
        #expect(leases[1]["state"] as? String == "free" && leases[1]["vfIndex"] is NSNull)
        #expect(leases[0]["state"] as? String == "attached" && leases[0]["vfPciAddress"] as? String == "0000:0b:10.2")
        let again = try host.json(try await host.attach("b", ["--network", "prod", "--format", "json"]))
        #expect(again["mac"] as? String == "02:5a:00:00:00:01")
        leases = try await host.leases()
        #expect(leases[1]["state"] as? String == "attached")
        let table = try await host.run(["leases"])
        #expect(table.stdout.hasPrefix("GUEST") && table.stdout.contains("02:5a:00:00:00:02"))
    }

    @Test("detach --forget quarantines the MAC; leases lists the quarantine")
    func forget() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        _ = try await host.attach("a", ["--network", "prod"])
        let forget = try await host.run(["detach", "a", "--network", "prod", "--forget", "--no-program"])
        #expect(forget.stdout.contains("MAC 02:5a:00:00:00:00 quarantined"))
        let json = try host.json(try await host.run(["leases", "--json"]))
        #expect((json["quarantine"] as? [[String: Any]])?.first?["formerGuest"] as? String == "a")
        let next = try host.json(try await host.attach("b", ["--network", "prod", "--format", "json"]))
        #expect(next["mac"] as? String == "02:5a:00:00:00:01")
    }

    @Test("bad input exits 1 with a clear message and creates no lease", arguments: [
        (["--network", "nope"], "unknown network 'nope' (known networks: prod)"),
        (["--network", "prod", "--vlan", "5", "--virtualport", "802.1Qbh", "--profile", "p"], "cannot be combined"),
        (["--network", "prod", "--mac", "01:00:5e:00:00:01"], "multicast"),
        (["--network", "prod", "--vlan", "9999"], "out of range"),
        (["--network", "prod", "--virtualport", "802.1Qbh", "--profile", "a<b"], "contains '<'"),
    ])
    func badInput(arguments: [String], message: String) async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        let result = try await host.attach("web1", arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(try await host.leases().isEmpty)
    }

    @Test("a guest name with XML metacharacters is refused before the database is touched")
    func badGuestName() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        let result = try await host.attach("web'1", ["--network", "prod"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("guest name 'web'1' contains '''"))
    }

    @Test("an explicit MAC leased to another guest is refused naming that guest")
    func macOfOtherGuest() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        _ = try await host.attach("a", ["--network", "prod"])
        let result = try await host.attach("b", ["--network", "prod", "--mac", "02:5a:00:00:00:00"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("MAC 02:5a:00:00:00:00 is leased to guest 'a'"))
    }

    @Test("no VF qualifies when the IOMMU group holds a device in host use: the error names it")
    func iommuBlocked() async throws {
        let host = try Host(try HostFixtures.sharedIOMMUGroup(), config: """
            networks:
              - name: lan
                pfs: [eno1]
            """)
        let result = try await host.attach("web1", ["--network", "lan"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("IOMMU group 8 holds 0000:04:00.0 bound to host driver e1000e"),
                "stderr: \(result.stderr)")
    }

    @Test("a netdevsim VF has no libvirt form: the default XML output is refused with a hint; json works")
    func netdevsim() async throws {
        let host = try Host(try HostFixtures.netdevsim(), config: """
            networks:
              - name: prod
                pfs: [eni10np1]
            """)
        let xml = try await host.attach("web1", ["--network", "prod"])
        #expect(xml.status == 1 && xml.stderr.contains("use --format json"))
        #expect(try await host.leases().isEmpty)
        let json = try host.json(try await host.attach("web1", ["--network", "prod", "--format", "json"]))
        #expect(json["vfPciAddress"] is NSNull)
    }

    @Test("a state database that is not ours is refused, and left as it was")
    func foreignDatabase() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        try FileManager.default.createDirectory(atPath: host.dir + "/lib", withIntermediateDirectories: true)
        try "not a database".write(toFile: host.db, atomically: true, encoding: .utf8)
        let result = try await host.attach("web1", ["--network", "prod"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a sriovctl state database"))
        #expect(try String(contentsOfFile: host.db, encoding: .utf8) == "not a database")
        #expect(try await host.run(["leases"]).status == 1)
    }

    @Test("attaching again under --no-program says 'already attached', never that it reprogrammed the VF")
    func noProgramSummary() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        #expect(try await host.attach("web1", ["--network", "prod"]).status == 0)
        let again = try await host.attach("web1", ["--network", "prod"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("web1 on prod: already attached: eth0 VF 1"), "\(again.stderr)")
        #expect(!again.stderr.contains("reprogrammed"), "\(again.stderr)")
    }

    @Test("leases on a host without a state database lists nothing and creates nothing")
    func leasesWithoutDatabase() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
        let result = try await host.run(["leases"])
        #expect(result.status == 0 && result.stdout.contains("no leases"))
        #expect(!FileManager.default.fileExists(atPath: host.db))
    }

    @Test("12 processes attaching at once to a database that does not exist yet all succeed, with distinct VFs and MACs")
    func concurrentProcesses() async throws {
        // Several rounds, each with a fresh database: the processes also race to create it
        // (a host whose guests all start at boot), and a lost race shows only sometimes.
        for round in 0..<4 {
            let host = try Host(try HostFixtures.intel82576(), config: Self.intelConfig)
            let outcomes = await SriovctlProcess.runAtOnce((0..<12).map { i in
                ["attach", "guest\(i)", "--network", "prod", "--format", "json", "--no-program",
                 "--sysfs-root", host.sysfs.root, "--db", host.db, "--config-file", host.configPath]
            })
            for (i, outcome) in outcomes.enumerated() {
                let result = try outcome.get()
                #expect(result.status == 0, "round \(round), process \(i): \(result.stderr)")
            }
            let leases = try await host.leases()
            #expect(leases.count == 12)
            let vfs = leases.compactMap { $0["vfPciAddress"] as? String }
            let macs = leases.compactMap { $0["mac"] as? String }
            #expect(Set(vfs).count == 12, "VFs: \(vfs)")
            #expect(Set(macs).count == 12, "MACs: \(macs)")
            #expect(leases.allSatisfy { $0["state"] as? String == "attached" })
        }
    }
}

enum TempDirMode {
    static func of(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }
}
