import Foundation
import SRIOVTesting
import Testing

/// `sriovctl provision` run as a user runs it, against sysfs fixtures (netlink off: the
/// fixture's netdevs are not this machine's).
@Suite("sriovctl provision")
struct ProvisionCommandTests {
    /// A config file in a temporary directory, removed with the value.
    final class ConfigFile {
        let dir: String
        let path: String

        init(_ text: String) throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("provision-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            path = dir + "/config.yaml"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }

        deinit { try? FileManager.default.removeItem(atPath: dir) }
    }

    static func provision(_ fixture: SysfsFixture, _ config: ConfigFile, _ extra: [String] = []) async throws -> SriovctlProcess.Result {
        try await SriovctlProcess.run(["provision", "--no-netlink", "--sysfs-root", fixture.root, "--config-file", config.path,
                                 "--db", config.dir + "/state.db", "--etc-root", config.dir + "/etc"] + extra)
    }

    @Test("--dry-run prints the plan and changes nothing")
    func dryRun() async throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 0)
        let config = try ConfigFile("pfs:\n  - netdev: eni10np1\n    num_vfs: 4\n")
        let result = try await Self.provision(fixture, config, ["--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("eni10np1 (netdevsim10), \(config.path):2:\n  - sriov_numvfs 0 → 4"))
        #expect(result.stdout.contains("dry run, nothing changed: 1 PF: 1 to change"))
        #expect(fixture.read("devices/netdevsim10/sriov_numvfs") == "0")
    }

    @Test("Provisioning netdevsim creates the VFs; running again says there is nothing to do")
    func applyThenNothingToDo() async throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 0)
        let config = try ConfigFile("pfs:\n  - netdev: eni10np1\n    num_vfs: 4\n")
        let first = try await Self.provision(fixture, config)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.contains("eni10np1 (netdevsim10): done in"))
        #expect(first.stdout.contains("1 PF: 1 changed"))
        #expect(fixture.read("devices/netdevsim10/sriov_numvfs") == "4")

        let second = try await Self.provision(fixture, config)
        #expect(second.status == 0)
        #expect(second.stdout == "nothing to do: 1 PF already as configured\n")
    }

    @Test("More VFs than sriov_totalvfs: exit 1, naming the config file and line; nothing is written")
    func aboveTotal() async throws {
        let fixture = try HostFixtures.igbLegacy()
        let config = try ConfigFile("version: 1\npfs:\n  - pci: \"0000:0b:00.0\"\n    num_vfs: 9\n")
        let result = try await Self.provision(fixture, config)
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(config.path):3: PF eth0 (0000:0b:00.0): num_vfs 9 is more than sriov_totalvfs 7"))
        #expect(fixture.read("devices/pci0000:00/0000:0b:00.0/sriov_numvfs") == "0")
    }

    @Test("Config errors (unknown key) stop before anything, with file:line:key")
    func configError() async throws {
        let fixture = try HostFixtures.netdevsim()
        let config = try ConfigFile("pfs:\n  - netdev: eni10np1\n    num_vfs: 4\n    numvfs: 5\n")
        let result = try await Self.provision(fixture, config)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(config.path):4: pfs[0].numvfs: unknown key 'numvfs'"))
    }

    @Test("max_vfs writes one modprobe.d file for every igb port (0600) and says a reload or reboot is needed")
    func maxVFs() async throws {
        let fixture = try HostFixtures.igbLegacy()
        let config = try ConfigFile("""
            pfs:
              - netdev: eth1
                num_vfs: 3
                method: max_vfs
              - netdev: eth0
                num_vfs: 7
                method: max_vfs
            """)
        let result = try await Self.provision(fixture, config)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let file = config.dir + "/etc/modprobe.d/sriovctl-igb.conf"
        let contents = try String(contentsOfFile: file, encoding: .utf8)
        #expect(contents.hasSuffix("\noptions igb max_vfs=7,3\n"))
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600)
        #expect(result.stdout.contains("module igb: wrote \(file)"))
        #expect(result.stdout.contains("needs a reload of module igb or a reboot"))
        #expect(result.stdout.contains("2 PFs: 2 waiting for a module reload or reboot"))

        let again = try await Self.provision(fixture, config)
        #expect(again.status == 0)
        #expect(!again.stdout.contains("wrote"))
        #expect(again.stdout.contains("already as configured"))
    }

    @Test("A legacy PF refusing sriov_numvfs (ENOENT) fails with advice; the netdevsim PF is still provisioned; exit 1")
    func legacyFailureDoesNotStopOthers() async throws {
        let fixture = try HostFixtures.igbLegacy(numVFsAttribute: false)
        try fixture.addNetdevsim(id: 10, netdev: "eni10np1", numVFs: 0)
        let config = try ConfigFile("pfs:\n  - netdev: eth0\n    num_vfs: 7\n  - netdev: eni10np1\n    num_vfs: 2\n")
        let result = try await Self.provision(fixture, config)
        #expect(result.status == 1)
        #expect(result.stdout.contains("eth0 (0000:0b:00.0): FAILED"))
        #expect(result.stdout.contains("set `method: max_vfs` for this PF"))
        #expect(result.stdout.contains("eni10np1 (netdevsim10): done"))
        #expect(result.stdout.contains("2 PFs: 1 changed, 1 failed"))
        #expect(fixture.read("devices/netdevsim10/sriov_numvfs") == "2")
    }

    @Test("--json --dry-run prints the documented shape")
    func jsonDryRun() async throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 0)
        let config = try ConfigFile("pfs:\n  - netdev: eni10np1\n    num_vfs: 2\n")
        let result = try await Self.provision(fixture, config, ["--dry-run", "--json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["schemaVersion"] as? Int == 1)
        #expect(json["dryRun"] as? Bool == true)
        let pf = try #require((json["pfs"] as? [[String: Any]])?.first)
        #expect(pf["status"] as? String == "planned")
        #expect((pf["steps"] as? [[String: Any]])?.first?["action"] as? String == "num_vfs")
    }

    @Test("--guest for a guest without VFs does nothing and says so (the libvirt hook calls it for every guest)")
    func guestWithoutVFs() async throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 2)
        let config = try ConfigFile("pfs:\n  - netdev: eni10np1\n    num_vfs: 2\n")
        let result = try await Self.provision(fixture, config, ["--guest", "web1"])
        #expect(result.status == 0)
        #expect(result.stdout == "nothing to do: guest web1 holds no VF\n")
    }

    @Test("--guest cannot be combined with --force")
    func guestAndForce() async throws {
        let fixture = try HostFixtures.netdevsim()
        let config = try ConfigFile("pfs: []\n")
        let result = try await Self.provision(fixture, config, ["--guest", "web1", "--force"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--guest only restores VF settings"))
    }

    @Test("With a guest attached (state database), changing the VF count is refused naming the guest; nothing is written")
    func assignedRefused() async throws {
        let fixture = try HostFixtures.intel82576()
        let config = try ConfigFile("""
            pfs:
              - pci: "0000:0b:00.0"
                num_vfs: 4
            networks:
              - name: prod
                pfs: ["0000:0b:00.0"]
            """)
        let attach = try await SriovctlProcess.run(["attach", "web1", "--network", "prod", "--no-program", "--format", "json",
                                              "--sysfs-root", fixture.root, "--config-file", config.path, "--db", config.dir + "/state.db"])
        #expect(attach.status == 0, "\(attach.stderr)")
        let result = try await Self.provision(fixture, config, ["--dry-run"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("\(config.path):2: PF eth0 (0000:0b:00.0): changing sriov_numvfs 7 → 4 destroys every VF, and VF 0 is assigned to web1; detach the guests first, or use --force"))
        let applied = try await Self.provision(fixture, config)
        #expect(applied.status == 1)
        #expect(fixture.read("devices/pci0000:00/0000:00:01.0/0000:0b:00.0/sriov_numvfs") == "7")
        let forced = try await Self.provision(fixture, config, ["--dry-run", "--force"])
        #expect(forced.stdout.contains("sriov_numvfs 7 → 4 (write 0, then 4); --force: destroys VF 0 of web1"))
    }

    @Test("The guest's recorded MAC is planned back onto its VF (--guest mode, the libvirt hook's)")
    func guestPlansRecordedMAC() async throws {
        let fixture = try HostFixtures.intel82576()
        let config = try ConfigFile("""
            pfs:
              - pci: "0000:0b:00.1"
                num_vfs: 7
            networks:
              - name: prod
                pfs: ["0000:0b:00.1"]
                vlan: 100
            """)
        let db = config.dir + "/state.db"
        let attach = try await SriovctlProcess.run(["attach", "web1", "--network", "prod", "--no-program", "--mac", "02:5a:00:00:00:09",
                                              "--trust", "on", "--sysfs-root", fixture.root, "--config-file", config.path, "--db", db])
        #expect(attach.status == 0, "\(attach.stderr)")
        let result = try await Self.provision(fixture, config, ["--guest", "web1", "--dry-run"])
        #expect(result.stdout.contains("VF 0 (web1): mac 02:5a:00:00:00:09, vlan 100"), "\(result.stdout)")
        #expect(result.stdout.contains("trust on"))
        let other = try await Self.provision(fixture, config, ["--guest", "db1", "--dry-run"])
        #expect(other.stdout == "nothing to do: guest db1 holds no VF\n")
    }

    @Test("No state database: none is created (a dry run changes nothing)")
    func noDatabaseCreated() async throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 0)
        let config = try ConfigFile("pfs:\n  - netdev: eni10np1\n    num_vfs: 2\n")
        _ = try await Self.provision(fixture, config, ["--dry-run"])
        #expect(!FileManager.default.fileExists(atPath: config.dir + "/state.db"))
    }
}

extension ProvisionCommandTests {
    @Test("--vf-timeout bounds the wait for VFs that never appear: exit 1 naming what is missing and the bound")
    func vfTimeout() async throws {
        // A fixture tree: writing sriov_numvfs makes no new virtfn links, as a driver that
        // never brings its VFs up would. The PF has 4 VFs; 6 are asked for.
        let fixture = try HostFixtures.mellanoxSplit()
        let config = try ConfigFile("pfs:\n  - pci: \"0000:3b:00.0\"\n    num_vfs: 6\n")
        let clock = ContinuousClock()
        let start = clock.now
        let result = try await Self.provision(fixture, config, ["--vf-timeout", "0.2"])
        let took = clock.now - start
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect((result.stdout + result.stderr).contains("after 0.2 s, still missing: "), "\(result.stdout)\(result.stderr)")
        #expect(took >= .milliseconds(200), "it gave up before its bound")
        let bad = try await Self.provision(fixture, config, ["--vf-timeout", "601"])
        #expect(bad.status == 64 && bad.stderr.contains("--vf-timeout must be between 0 and 600 seconds"), "\(bad.stderr)")
    }
}
