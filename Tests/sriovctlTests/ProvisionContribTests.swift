import Foundation
import SRIOVTesting
import Testing

/// contrib/systemd/sriovctl-provision.service and contrib/libvirt-hooks/qemu.
@Suite("provisioning: systemd unit and libvirt hook")
struct ProvisionContribTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let systemdAnalyze = "/usr/bin/systemd-analyze"

    static func run(_ program: String, _ arguments: [String], stdin: String = "",
                    environment: [String: String]? = nil) async throws -> ChildProcess.Result {
        signal(SIGPIPE, SIG_IGN)   // a child that exits without reading stdin must not kill the tests
        return try await ChildProcess.run(program, arguments, environment: environment, stdin: stdin)
    }

    /// A temporary directory removed with the value.
    final class Scratch {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("contrib-\(UUID().uuidString)").path
        init() throws { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test("The unit orders itself after udev/modules and before libvirt and Xen, and systemd-analyze verify accepts it",
          .enabled(if: FileManager.default.isExecutableFile(atPath: systemdAnalyze), "systemd-analyze is not installed"))
    func systemdUnit() async throws {
        let unit = try String(contentsOfFile: Self.repository + "/contrib/systemd/sriovctl-provision.service", encoding: .utf8)
        for line in ["Type=oneshot", "RemainAfterExit=yes",
                     "After=systemd-udev-settle.service systemd-modules-load.service local-fs.target",
                     "Wants=systemd-udev-settle.service systemd-modules-load.service",
                     "Before=libvirtd.service virtqemud.service xendomains.service", "WantedBy=multi-user.target"] {
            #expect(unit.split(separator: "\n").contains(Substring(line)), "missing \(line)")
        }
        // verify checks that ExecStart exists: point it at the binary under test.
        let scratch = try Scratch()
        let copy = scratch.path + "/sriovctl-provision.service"
        try unit.replacingOccurrences(of: "/usr/local/bin/sriovctl", with: SriovctlProcess.binaryPath)
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let result = try await Self.run(Self.systemdAnalyze, ["verify", copy])
        #expect(result.status == 0, "systemd-analyze verify: \(result.stderr)")
    }

    /// The hook with `sriovctl` replaced by a script that records its arguments (and fails when told).
    static func hook(_ scratch: Scratch, failing: Bool = false, strict: Bool = false) throws -> (hook: String, log: String) {
        let log = scratch.path + "/calls"
        let fake = scratch.path + "/sriovctl"
        try """
            #!/bin/sh
            for a in "$@"; do printf '[%s]' "$a" >> '\(log)'; done
            echo >> '\(log)'
            \(failing ? "echo 'eth0 VF 3: trust: operation not supported' >&2; exit 1" : "exit 0")
            """.write(toFile: fake, atomically: true, encoding: .utf8)
        chmod(fake, 0o755)
        var text = try String(contentsOfFile: repository + "/contrib/libvirt-hooks/qemu", encoding: .utf8)
        text = text.replacingOccurrences(of: "SRIOVCTL=/usr/local/bin/sriovctl", with: "SRIOVCTL='\(fake)'")
        if strict { text = text.replacingOccurrences(of: "SRIOVCTL_HOOK_STRICT=0", with: "SRIOVCTL_HOOK_STRICT=1") }
        let hook = scratch.path + "/qemu"
        try text.write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        return (hook, log)
    }

    @Test("The hook runs `sriovctl provision --guest` in the prepare and started phases only, passing the name as one literal argument")
    func hookPhases() async throws {
        let scratch = try Scratch()
        let (hook, log) = try Self.hook(scratch)
        let xml = "<domain type='kvm'><name>web1</name></domain>"
        for (operation, phase) in [("prepare", "begin"), ("start", "begin"), ("started", "begin"), ("stopped", "end"), ("release", "end")] {
            let result = try await Self.run(hook, ["web1", operation, phase, "-"], stdin: xml)
            #expect(result.status == 0)
        }
        let odd = "-x; $(touch \(scratch.path)/pwned) `id` *"
        #expect(try await Self.run(hook, [odd, "started", "begin", "-"], stdin: xml).status == 0)
        let calls = try String(contentsOfFile: log, encoding: .utf8)
        #expect(calls == "[provision][--guest=web1]\n[provision][--guest=web1]\n[provision][--guest=\(odd)]\n")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/pwned"))
    }

    @Test("A failing sriovctl is logged to stderr (libvirt's log) and does not stop the guest, unless strict")
    func hookFailure() async throws {
        let scratch = try Scratch()
        let (hook, _) = try Self.hook(scratch, failing: true)
        let result = try await Self.run(hook, ["web1", "started", "begin", "-"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("sriovctl hook (web1 started): sriovctl provision --guest failed (status 1):\neth0 VF 3: trust: operation not supported"))

        let strict = try Self.hook(scratch, failing: true, strict: true)
        #expect(try await Self.run(strict.hook, ["web1", "prepare", "begin", "-"]).status == 1)
    }

    @Test("The hook never calls back into libvirt")
    func hookDoesNotCallLibvirt() async throws {
        let text = try String(contentsOfFile: Self.repository + "/contrib/libvirt-hooks/qemu", encoding: .utf8)
        let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
        for word in ["virsh", "--connect", "qemu:///", "eval"] {
            #expect(!code.contains(word), "the hook's code mentions \(word)")
        }
    }

    @Test("sriovctl accepts a guest name that starts with '-' in the hook's --guest=NAME form")
    func dashGuestName() async throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 0)
        let scratch = try Scratch()
        try "pfs: []\n".write(toFile: scratch.path + "/c.yaml", atomically: true, encoding: .utf8)
        let result = try await SriovctlProcess.run(["provision", "--guest=-odd", "--no-netlink", "--sysfs-root", fixture.root,
                                              "--config-file", scratch.path + "/c.yaml", "--db", scratch.path + "/db"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "nothing to do: guest -odd holds no VF\n")
    }
}
