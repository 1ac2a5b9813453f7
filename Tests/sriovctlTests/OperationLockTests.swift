import Foundation
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing

/// attach, detach, provision and `audit --fix` wait for each other (``StateOperationLock``):
/// here another process holds the lock as another sriovctl would, and the command must wait for it.
@Suite("One sriovctl at a time changes VFs")
struct OperationLockTests {
    typealias Host = AttachCommandTests.Host

    /// What a command does while another process holds the operation lock.
    struct LockedRun {
        /// The command said it was waiting for the lock, and had not finished, while the lock was held.
        var waited: Bool
        /// The guests with a lease while the lock was held (after the command said it waits).
        var leasesWhileLocked: [String]
        /// The command's outcome once the lock was released.
        var result: BackgroundProcess.Output
    }

    /// Runs `arguments` while another process (util-linux `flock`, standing in for another
    /// sriovctl) holds the operation lock. A command that takes the lock says "waiting for
    /// another sriovctl" after a second: the lock is held until it says so (or, for a
    /// command that must not wait, until it ends), so nothing depends on how fast the machine is.
    func runWhileLocked(_ host: Host, _ arguments: [String], expectWait: Bool = true) async throws -> LockedRun {
        let holder = try await FlockHolder.hold(try StateOperationLock.path(forDatabase: host.db))
        let command = try BackgroundProcess(
            sriovctl: arguments + ["--sysfs-root", host.sysfs.root, "--db", host.db, "--config-file", host.configPath])
        let waited = expectWait
            ? await command.waitForStderr(containing: "waiting for another sriovctl to finish")
            : !(await command.waitForExit())
        let leasesWhileLocked = try SQLiteStateStore(path: host.db, access: .readOnly).read().leases.map(\.key.guest).sorted()
        await holder.release()
        return LockedRun(waited: waited, leasesWhileLocked: leasesWhileLocked, result: await command.finish())
    }

    @Test("attach waits for another sriovctl holding the lock, says so, then attaches")
    func attachWaits() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        #expect(try await host.attach("web1", ["--network", "prod"]).status == 0)
        let run = try await runWhileLocked(host, ["attach", "web2", "--network", "prod", "--no-program"])
        let (waited, leases, result) = (run.waited, run.leasesWhileLocked, run.result)
        #expect(waited, "attach did not say it waits for the lock")
        #expect(leases == ["web1"], "attach wrote to the database while another sriovctl held the lock")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("waiting for another sriovctl to finish (it holds \(host.db).lock)"))
        #expect(try await host.leases().count == 2)
        #expect(TempDirMode.of(host.db + ".lock") == 0o600)
    }

    @Test("detach waits for the lock too, then frees the VF")
    func detachWaits() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        #expect(try await host.attach("web1", ["--network", "prod"]).status == 0)
        let run = try await runWhileLocked(host, ["detach", "web1", "--network", "prod", "--no-program"])
        let (waited, result) = (run.waited, run.result)
        #expect(waited, "detach did not say it waits for the lock")
        #expect(run.leasesWhileLocked == ["web1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await host.leases().first?["state"] as? String == "free")
    }

    @Test("provision waits for the lock; provision --dry-run, which changes nothing, does not")
    func provisionWaitsUnlessDryRun() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        // A database with a lease and no VF held: nothing for provision to program.
        #expect(try await host.attach("web1", ["--network", "prod"]).status == 0)
        #expect(try await host.run(["detach", "web1", "--network", "prod", "--no-program"]).status == 0)
        let real = try await runWhileLocked(host, ["provision", "--no-netlink"])
        #expect(real.waited, "provision did not wait for the lock")
        #expect(real.result.status == 0, "\(real.result.stderr) \(real.result.stdout)")
        let dry = try await runWhileLocked(host, ["provision", "--no-netlink", "--dry-run"], expectWait: false)
        #expect(!dry.waited, "provision --dry-run waited for the lock")
        #expect(dry.result.status == 0, "\(dry.result.stderr)")
    }

    /// The host has no VFs behind the fixture, so the repair here finds nothing to do; lab
    /// `audit-fix-lock` holds the lock the same way over netdevsim VFs and checks the repair
    /// with iproute2.
    @Test("audit --fix waits for the lock like any changer: says so, touches nothing while it waits, then audits")
    func auditFixWaits() async throws {
        try #require(geteuid() == 0, "needs root for a network namespace of its own (unshare -n)")
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let attach = try await host.attach("web1", ["--network", "prod"])
        try #require(attach.status == 0, "\(attach.stderr)")
        let databaseBefore = FileManager.default.contents(atPath: host.db)
        let holder = try await FlockHolder.hold(try StateOperationLock.path(forDatabase: host.db))
        // In a network namespace of its own, so that netlink sees none of the host's links.
        let audit = try BackgroundProcess(program: "/usr/bin/unshare", ["--net", SriovctlProcess.binaryPath, "audit", "--fix", "--no-libvirt", "--sysfs-root", host.sysfs.root,
                                                     "--db", host.db, "--config-file", host.configPath])
        let waited = await audit.waitForStderr(containing: "waiting for another sriovctl to finish (it holds \(host.db).lock)")
        let stderrWhileLocked = audit.stderrSoFar
        let databaseWhileLocked = FileManager.default.contents(atPath: host.db)
        await holder.release()
        let result = await audit.finish()
        #expect(waited, "audit --fix did not say it waits for the lock: \(result.stderr)")
        #expect(!stderrWhileLocked.contains("fix:"), "audit --fix repaired while another sriovctl held the lock: \(stderrWhileLocked)")
        #expect(databaseWhileLocked == databaseBefore, "audit --fix changed the database while another sriovctl held the lock")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("Audit of host"), "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n").map(String.init)
        let waitLine = lines.firstIndex { $0.contains("waiting for another sriovctl to finish") }
        let fixLine = lines.firstIndex { $0.hasPrefix("fix: ") }
        #expect(waitLine != nil && fixLine != nil && waitLine! < fixLine!, "the repair step came before the wait: \(lines)")
        #expect(FileManager.default.contents(atPath: host.db) == databaseBefore, "nothing to repair, yet the database changed")
    }

    @Test("a command that waits longer than its bound gives up with a clear error and changes nothing")
    func timeout() async throws {
        let dir = NSTemporaryDirectory() + "sriovctl-oplock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/state.db"
        var ran = false
        try StateOperationLock.holding(databasePath: db) { () throws(SRIOVError) in
            // A second holder in the same process opens its own file description: it waits.
            #expect {
                try StateOperationLock.holding(databasePath: db, timeout: 0) { () throws(SRIOVError) in ran = true }
            } throws: { error in
                let e = error as! SRIOVError
                return e.code == .busy && e.message.contains("another sriovctl has held \(db).lock for 0 s")
                    && e.message.contains("nothing was changed")
            }
        }
        #expect(!ran)
    }
}
