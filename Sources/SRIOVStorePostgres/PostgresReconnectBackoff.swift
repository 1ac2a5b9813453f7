import NIOConcurrencyHelpers
public import SRIOVCore

/// How often one process tries to reach a fleet database that did not answer.
///
/// A one-shot command connects once and reports what happened. A long-running process
/// (`sriovctl agent`) opens a store for every pass; while PostgreSQL is down, each of those
/// would wait for a connection to fail again, on every burst of link events. So after a
/// failed connection the next attempt waits 1 s, then 2, 4, ... up to 60 s; until then a new
/// store fails at once with the same "cannot reach" error (which sends provisioning and the
/// agent to this host's cache). A successful connection resets the wait. One backoff per
/// database (``PostgresTarget``), shared by every store of the process.
public final class PostgresReconnectBackoff: Sendable {
    /// The process's backoff, used by ``PostgresStateStore``.
    public static let shared = PostgresReconnectBackoff()

    /// The first wait after a failure.
    public static let firstDelay: Duration = .seconds(1)
    /// The longest wait between attempts.
    public static let longestDelay: Duration = .seconds(60)

    private struct Failing {
        var failures: Int
        var notBefore: ContinuousClock.Instant
    }

    private let failing = NIOLockedValueBox<[PostgresTarget: Failing]>([:])
    private let now: @Sendable () -> ContinuousClock.Instant

    /// `now` is the clock (tests give their own).
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
    }

    /// The wait after `failures` failed attempts in a row: 1 s doubled each time, at most 60 s.
    public static func delay(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        let seconds = 1 << min(failures - 1, 6)
        return min(.seconds(seconds), longestDelay)
    }

    /// How long until `target` may be tried again, or `nil` when it may be tried now.
    public func remainingWait(for target: PostgresTarget) -> Duration? {
        let instant = now()
        return failing.withLockedValue { table in
            guard let entry = table[target], entry.notBefore > instant else { return nil }
            return entry.notBefore - instant
        }
    }

    /// Notes a failed connection to `target`: the next attempt waits longer.
    public func failed(_ target: PostgresTarget) {
        let instant = now()
        failing.withLockedValue { table in
            let failures = (table[target]?.failures ?? 0) + 1
            table[target] = Failing(failures: failures, notBefore: instant + Self.delay(afterFailures: failures))
        }
    }

    /// Notes a successful connection to `target`: the next failure starts again at 1 s.
    public func succeeded(_ target: PostgresTarget) {
        _ = failing.withLockedValue { $0.removeValue(forKey: target) }
    }
}
