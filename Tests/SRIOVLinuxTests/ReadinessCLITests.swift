import Foundation
import SRIOVTesting
import Testing

/// `sriovctl doctor` end to end: the built binary run on fixture hosts, exit codes and output.
@Suite("doctor: the sriovctl binary on fixture hosts")
struct ReadinessCLITests {
    /// True when the built binary is there (`swift build`, or `SRIOVCTL_BIN`).
    static let binaryBuilt = FileManager.default.isExecutableFile(atPath: SriovctlProcess.binaryPath)

    typealias Run = SriovctlProcess.Result

    func doctor(_ f: ReadinessHostFixture, _ extra: [String] = []) async throws -> Run {
        try await SriovctlProcess.run(["doctor", "--sysfs-root", f.sysfsRoot, "--host-root", f.hostRoot] + extra)
    }

    func json(_ run: Run) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test("Healthy host: exit 0, every check [ OK ]", .enabled(if: binaryBuilt, "sriovctl binary not built (swift build, or set SRIOVCTL_BIN)"))
    func healthy() async throws {
        let f = try ReadinessHostFixture.healthyIntel()
        let run = try await doctor(f)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("[ OK ] IOMMU enabled"))
        #expect(run.stdout.contains("PF eth0 (0000:0b:00.0)"))
        #expect(!run.stdout.contains("[FAIL]") && !run.stdout.contains("[WARN]"))
        #expect(run.stdout.hasSuffix("Result: 0 failed, 0 warnings, 9 passed (exit 0)\n"))
    }

    @Test("Unsafe interrupts: exit 1 and a [WARN] with the fix command indented under it",
          .enabled(if: binaryBuilt, "sriovctl binary not built (swift build, or set SRIOVCTL_BIN)"))
    func warning() async throws {
        let f = try ReadinessHostFixture.healthyIntel()
        try f.unsafeInterruptsParameter("Y")
        let run = try await doctor(f)
        #expect(run.status == 1)
        #expect(run.stdout.contains("[WARN] Unsafe interrupts not allowed"))
        #expect(run.stdout.contains("\n                    echo N > /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts\n"))
    }

    @Test("No IOMMU: exit 2; --json has the documented shape with intel_iommu=on in the fix",
          .enabled(if: binaryBuilt, "sriovctl binary not built (swift build, or set SRIOVCTL_BIN)"))
    func failure() async throws {
        let f = try ReadinessHostFixture.noIOMMU()
        let text = try await doctor(f)
        #expect(text.status == 2)
        #expect(text.stdout.contains("[FAIL] IOMMU enabled"))
        #expect(text.stdout.contains("GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on\""))

        let run = try await doctor(f, ["--json"])
        #expect(run.status == 2)
        let root = try json(run)
        #expect(root["schemaVersion"] as? Int == 1)
        #expect(root["status"] as? String == "fail")
        #expect(root["exitCode"] as? Int == 2)
        let checks = try #require(root["checks"] as? [[String: Any]])
        let iommu = try #require(checks.first { $0["id"] as? String == "iommu.enabled" })
        #expect(iommu["status"] as? String == "fail")
        #expect(iommu["pf"] is NSNull)
        let fix = try #require(iommu["fix"] as? [String: Any])
        #expect(fix["rebootRequired"] as? Bool == true)
        #expect((fix["summary"] as? String)?.contains("intel_iommu=on") == true)
        #expect(fix["commands"] as? [String] == ["update-grub", "reboot"])
        let vf = try #require(checks.first { $0["id"] as? String == "vf.iommu-group" })
        #expect(vf["vf"] as? Int == 0 && vf["vfAddress"] as? String == "0000:0b:10.0")
        #expect(vf["iommuGroup"] is NSNull)
        let host = try #require(root["host"] as? [String: Any])
        #expect(host["iommuKind"] as? String == "intel" && host["bootLoader"] as? String == "grub")
    }

    @Test("--pf with an unknown PF: exit 2 and an error naming the known PFs",
          .enabled(if: binaryBuilt, "sriovctl binary not built (swift build, or set SRIOVCTL_BIN)"))
    func unknownPF() async throws {
        let f = try ReadinessHostFixture.healthyIntel()
        let run = try await doctor(f, ["--pf", "eth9"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("unknown PF 'eth9' (known PFs: eth0)"))
        #expect(run.stdout.isEmpty)
    }

    @Test("--pf selects one PF in JSON; its VF group lists the members",
          .enabled(if: binaryBuilt, "sriovctl binary not built (swift build, or set SRIOVCTL_BIN)"))
    func onePFJSON() async throws {
        let f = try ReadinessReaderTests.seed000()
        let run = try await doctor(f, ["--pf", "eth5", "--json"])
        #expect(run.status == 2)
        let checks = try #require(try json(run)["checks"] as? [[String: Any]])
        #expect(Set(checks.compactMap { $0["pf"] as? String }) == ["eth5"])
        let vf = try #require(checks.first { $0["id"] as? String == "vf.iommu-group" })
        let members = try #require(vf["groupMembers"] as? [[String: Any]])
        #expect(members.map { $0["role"] as? String } == ["bridge", "bridge", "host-driver", "self"])
        #expect(members[2]["driver"] as? String == "e1000e" && members[2]["class"] as? String == "0x020000")
    }
}
