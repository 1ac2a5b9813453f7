import Foundation
import SRIOVCore
import SRIOVStorePostgres
import SRIOVTesting
import Synchronization
import Testing

/// A long-running process (the agent) does not hammer a fleet database that is down: after a
/// failed connection it waits 1 s, 2 s, ... 60 s before the next, failing at once meanwhile.
@Suite("PostgreSQL reconnect backoff")
struct PostgresReconnectBackoffTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    @Test("the wait doubles from 1 s and stops at 60 s")
    func schedule() {
        #expect(PostgresReconnectBackoff.delay(afterFailures: 0) == .zero)
        #expect(PostgresReconnectBackoff.delay(afterFailures: 1) == .seconds(1))
        #expect(PostgresReconnectBackoff.delay(afterFailures: 2) == .seconds(2))
        #expect(PostgresReconnectBackoff.delay(afterFailures: 6) == .seconds(32))
        #expect(PostgresReconnectBackoff.delay(afterFailures: 7) == .seconds(60))
        #expect(PostgresReconnectBackoff.delay(afterFailures: 1_000) == .seconds(60))
    }

    @Test("a database that is not there: tried, then refused at once until the wait is over, then tried again with a longer wait")
    func unreachableThenWaits() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let target = PostgresTarget(user: "sriovctl", socketDirectory: dir.path, database: "fleet")
        let host = FleetHost(id: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", name: "node-a")
        let clock = ManualClock()
        let backoff = PostgresReconnectBackoff(now: { clock.now })

        func openMessage() -> String {
            do {
                _ = try PostgresStateStore(target: target, host: host, backoff: backoff)
                return "opened"
            } catch {
                return error.message
            }
        }

        let first = openMessage()
        #expect(first.contains("cannot reach the state database") && !first.contains("the next one in"), "\(first)")
        let refused = openMessage()
        #expect(refused.contains("cannot reach the state database (the last attempt failed; the next one in 1 s)"), "\(refused)")
        #expect(PostgresStateStore.isUnreachable(SRIOVError(.database, refused)))

        clock.advance(.milliseconds(1_100))
        let second = openMessage()
        #expect(!second.contains("the next one in"), "tried again after the wait: \(second)")
        let longer = openMessage()
        #expect(longer.contains("the next one in 2 s"), "\(longer)")

        // Another database is not held back by this one's failures.
        let other = PostgresTarget(user: "sriovctl", socketDirectory: dir.path, database: "other")
        #expect(backoff.remainingWait(for: other) == nil)
        backoff.succeeded(target)
        #expect(backoff.remainingWait(for: target) == nil)
    }
}
