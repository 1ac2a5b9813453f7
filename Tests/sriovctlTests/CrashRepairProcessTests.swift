import Foundation
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing
@testable import SRIOVLinux

/// Crash repair with real process identities (``ProcProcessLiveness``, /proc): an intent
/// left by a process that still runs is left alone; once that process is killed, the next
/// `sriovctl attach` rolls it back. The core tests use a fake liveness; this one does not.
@Suite("crash repair: the owner is a real process", .serialized)
struct CrashRepairProcessTests {
    typealias Host = AttachCommandTests.Host

    /// A real process that stays up until killed (`sleep`), and its identity as /proc tells it.
    final class StandIn {
        let process = Process()
        let owner: OperationOwner

        init() throws {
            process.executableURL = URL(fileURLWithPath: "/bin/sleep")
            process.arguments = ["600"]
            try process.run()
            let pid = process.processIdentifier
            let start = try #require(ProcProcessLiveness.startTime(pid: pid, procRoot: "/proc"), "/proc/\(pid)/stat")
            owner = OperationOwner(pid: pid, startTime: start, bootID: ProcProcessLiveness.bootID(procRoot: "/proc"))
        }

        /// kill -9, and wait until the kernel has reaped it.
        func kill9() {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        deinit { if process.isRunning { kill9() } }
    }

    /// Turns `guest`'s applied assignment into an intent owned by `owner`, as a crash would leave it.
    func leaveIntent(_ host: Host, guest: String, owner: OperationOwner) throws {
        let store = try SQLiteStateStore(path: host.db)
        var row = try #require(try store.read().assignments.first { $0.lease.guest == guest })
        row.state = .intent
        row.owner = owner
        let marked = row
        try store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in StateUpdate(edits: [.updateAssignment(marked)]) }
    }

    @Test("an intent whose process runs is left alone; after kill -9 the next attach rolls it back")
    func realOwner() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        #expect(try await host.attach("victim", ["--network", "prod"]).status == 0)
        let standIn = try StandIn()
        try leaveIntent(host, guest: "victim", owner: standIn.owner)
        #expect(ProcProcessLiveness().isRunning(standIn.owner))

        let whileRunning = try await host.attach("web2", ["--network", "prod"])
        #expect(whileRunning.status == 0, "\(whileRunning.stderr)")
        #expect(!whileRunning.stderr.contains("repaired"), "\(whileRunning.stderr)")
        let busy = try await host.attach("victim", ["--network", "prod"])
        #expect(busy.status == 1 && busy.stderr.contains("pid \(standIn.owner.pid)"), "\(busy.stderr)")

        standIn.kill9()
        #expect(!ProcProcessLiveness().isRunning(standIn.owner))
        let after = try await host.attach("web3", ["--network", "prod"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(after.stderr.contains("repaired: rolled back victim on prod"), "\(after.stderr)")
        let assignments = try SQLiteStateStore(path: host.db).read().assignments
        #expect(assignments.allSatisfy { $0.state == .applied })
        #expect(Set(assignments.map(\.lease.guest)) == ["web2", "web3"])
    }

    @Test("a reused pid (same pid, another start time) counts as gone")
    func reusedPID() async throws {
        let standIn = try StandIn()
        var reused = standIn.owner
        reused.startTime += 1
        #expect(ProcProcessLiveness().isRunning(standIn.owner))
        #expect(!ProcProcessLiveness().isRunning(reused))
        var otherBoot = standIn.owner
        otherBoot.bootID = "another-boot"
        #expect(!ProcProcessLiveness().isRunning(otherBoot))
    }
}
