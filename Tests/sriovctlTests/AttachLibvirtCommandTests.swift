import Foundation
import SRIOVLinux
import SRIOVLinuxPrograms
import SRIOVTesting
import Testing

/// attach/detach --apply against a real libvirtd (qemu:///system), on a stopped guest
/// (config-only changes need no real PCI device), with VFs from a sysfs fixture.
@Suite("sriovctl attach --apply with libvirtd", .serialized)
struct AttachLibvirtCommandTests {
    /// `virsh -c qemu:///system arguments`, its status and its output (stdout then stderr).
    static func virsh(_ arguments: [String]) async -> (status: Int32, output: String) {
        do {
            let result = try await ChildProcess.run("/usr/bin/virsh", ["-c", "qemu:///system"] + arguments)
            return (result.status, result.stdout + result.stderr)
        } catch {
            return (-1, "\(error)")
        }
    }

    /// ``virsh(_:)`` blocking the caller: only for the suite's `enabled(if:)` check.
    static func blockingVirsh(_ arguments: [String]) -> (status: Int32, output: String) {
        do {
            let result = try ProgramRunner.run("/usr/bin/virsh", ["-c", "qemu:///system"] + arguments)
            return (result.status, result.stdout + result.stderr)
        } catch {
            return (-1, "\(error)")
        }
    }

    static let reachable = FileManager.default.isExecutableFile(atPath: "/usr/bin/virsh") && blockingVirsh(["version"]).status == 0

    /// Defines a stopped guest, runs `body` with its name, undefines it.
    func withGuest(_ body: (String) async throws -> Void) async throws {
        let name = "sriovctl-test-" + String(UInt32.random(in: .min ... .max), radix: 16)
        let xml = """
            <domain type='qemu'><name>\(name)</name><memory unit='MiB'>64</memory>
            <os><type arch='x86_64'>hvm</type></os><devices></devices></domain>
            """
        let file = NSTemporaryDirectory() + "\(name).xml"
        try xml.write(toFile: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let defined = await Self.virsh(["define", file])
        try #require(defined.status == 0, "virsh define: \(defined.output)")
        do {
            try await body(name)
        } catch {
            _ = await Self.virsh(["undefine", name])
            throw error
        }
        _ = await Self.virsh(["undefine", name])
    }

    @Test("attach --apply adds the interface to a stopped guest's config once; detach --apply removes it",
          .enabled(if: reachable, "qemu:///system is unreachable: run Tests/Support/start-libvirtd.sh as root (CI does)"))
    func applyOnStoppedGuest() async throws {
        let host = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        try await withGuest { guest in
            let first = try await host.attach(guest, ["--network", "prod", "--apply", "--format", "json"])
            #expect(first.stderr.contains("libvirt: attached (config)"), "stderr: \(first.stderr)")
            // The VF attach chose (a guest defined in the shared libvirtd may hold another one):
            // libvirt's definition must name exactly that function.
            let chosen = try #require(try host.json(first)["vfPciAddress"] as? String)
            let parts = chosen.split(whereSeparator: { $0 == ":" || $0 == "." }).map(String.init)
            try #require(parts.count == 4, "vfPciAddress \(chosen)")
            var xml = await Self.virsh(["dumpxml", "--inactive", guest]).output
            #expect(xml.contains("<mac address='02:5a:00:00:00:00'/>"))
            #expect(xml.contains("bus='0x\(parts[1])' slot='0x\(parts[2])' function='0x\(parts[3])'"), "\(xml)")

            let again = try await host.attach(guest, ["--network", "prod", "--apply", "--format", "json"])
            let json = try host.json(again)
            #expect((json["libvirt"] as? [String: Any])?["action"] as? String == "already-present")
            xml = await Self.virsh(["dumpxml", "--inactive", guest]).output
            #expect(xml.components(separatedBy: "02:5a:00:00:00:00").count == 2, "the interface is there once")

            let detach = try await host.run(["detach", guest, "--network", "prod", "--apply", "--no-program"])
            #expect(detach.status == 0, "stderr: \(detach.stderr)")
            #expect(detach.stdout.contains("libvirt: detached"))
            xml = await Self.virsh(["dumpxml", "--inactive", guest]).output
            #expect(!xml.contains("02:5a:00:00:00:00"))
            #expect(try await host.leases().first?["state"] as? String == "free")
        }
    }

    @Test("--connect checks the guest: a guest libvirt does not know is refused and nothing is recorded",
          .enabled(if: reachable, "qemu:///system is unreachable: run Tests/Support/start-libvirtd.sh as root (CI does)"))
    func unknownGuest() async throws {
        let host = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let result = try await host.attach("sriovctl-test-nonexistent", ["--network", "prod", "--connect", "qemu:///system"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("libvirt has no guest named 'sriovctl-test-nonexistent'"), "stderr: \(result.stderr)")
        #expect(try await host.leases().isEmpty)
    }

    @Test("--live on a stopped guest is refused before anything changes",
          .enabled(if: reachable, "qemu:///system is unreachable: run Tests/Support/start-libvirtd.sh as root (CI does)"))
    func liveOnStopped() async throws {
        let host = try AttachCommandTests.Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        try await withGuest { guest in
            let result = try await host.attach(guest, ["--network", "prod", "--apply", "--live"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("--live needs a running guest"))
            #expect(try await host.leases().isEmpty)
        }
    }
}
