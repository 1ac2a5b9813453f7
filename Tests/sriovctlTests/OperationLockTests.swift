import Foundation
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing

/// attach, detach, provision and `audit --fix` wait for each other (``StateOperationLock``):
/// here the test holds the lock as another sriovctl would, and the command must wait for it.
@Suite("One sriovctl at a time changes VFs")
struct OperationLockTests {
    typealias Host = AttachCommandTests.Host

    /// Runs `arguments` while this process holds the operation lock for `hold` seconds;
    /// returns whether the command was still waiting when the lock was released, the
    /// leases the database had at that moment, and the command's outcome.
    func runWhileLocked(_ host: Host, _ arguments: [String], hold: TimeInterval = 1.5) throws
        -> (waited: Bool, leasesWhileLocked: [String], result: SriovctlProcess.Result) {
        final class Box: @unchecked Sendable { var outcome: Result<SriovctlProcess.Result, any Error>? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        var waited = false
        var leasesWhileLocked: [String] = []
        try StateOperationLock.holding(databasePath: host.db) { () throws(SRIOVError) in
            Thread.detachNewThread {
                box.outcome = Result { try host.run(arguments) }
                done.signal()
            }
            Thread.sleep(forTimeInterval: hold)
            waited = done.wait(timeout: .now()) == .timedOut
            if !waited { done.signal() }   // put back what the check took
            leasesWhileLocked = try SQLiteStateStore(path: host.db).read().leases.map(\.key.guest).sorted()
        }
        done.wait()
        return (waited, leasesWhileLocked, try box.outcome!.get())
    }

    @Test("attach waits for another sriovctl holding the lock, says so, then attaches")
    func attachWaits() throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        #expect(try host.attach("web1", ["--network", "prod"]).status == 0)
        let (waited, leases, result) = try runWhileLocked(host, ["attach", "web2", "--network", "prod", "--no-program"])
        #expect(waited, "attach did not wait for the lock")
        #expect(leases == ["web1"], "attach wrote to the database while another sriovctl held the lock")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("waiting for another sriovctl to finish (it holds \(host.db).lock)"))
        #expect(try host.leases().count == 2)
        #expect(TempDirMode.of(host.db + ".lock") == 0o600)
    }

    @Test("detach waits for the lock too, then frees the VF")
    func detachWaits() throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        #expect(try host.attach("web1", ["--network", "prod"]).status == 0)
        let (waited, _, result) = try runWhileLocked(host, ["detach", "web1", "--network", "prod", "--no-program"])
        #expect(waited, "detach did not wait for the lock")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try host.leases().first?["state"] as? String == "free")
    }

    @Test("provision waits for the lock; provision --dry-run, which changes nothing, does not")
    func provisionWaitsUnlessDryRun() throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        // A database with a lease and no VF held: nothing for provision to program.
        #expect(try host.attach("web1", ["--network", "prod"]).status == 0)
        #expect(try host.run(["detach", "web1", "--network", "prod", "--no-program"]).status == 0)
        let real = try runWhileLocked(host, ["provision", "--no-netlink"])
        #expect(real.waited, "provision did not wait for the lock")
        #expect(real.result.status == 0, "\(real.result.stderr) \(real.result.stdout)")
        let dry = try runWhileLocked(host, ["provision", "--no-netlink", "--dry-run"])
        #expect(!dry.waited, "provision --dry-run waited for the lock")
        #expect(dry.result.status == 0, "\(dry.result.stderr)")
    }

    @Test("a command that waits longer than its bound gives up with a clear error and changes nothing")
    func timeout() throws {
        let dir = NSTemporaryDirectory() + "sriovctl-oplock-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/state.db"
        var ran = false
        try StateOperationLock.holding(databasePath: db) { () throws(SRIOVError) in
            // A second holder in the same process opens its own file description: it waits.
            #expect {
                try StateOperationLock.holding(databasePath: db, timeout: 0.2) { () throws(SRIOVError) in ran = true }
            } throws: { error in
                let e = error as! SRIOVError
                return e.code == .busy && e.message.contains("another sriovctl has held \(db).lock for 0 s")
                    && e.message.contains("nothing was changed")
            }
        }
        #expect(!ran)
    }
}
