public import SRIOVCore
import Synchronization

/// ``StateStoring`` in memory, with the reference semantics of
/// ``StateSnapshot/apply(_:now:)``. Updates are serialized by a lock, like SQLite's
/// IMMEDIATE transactions. Timestamps are `t0001`, `t0002`, ... (one per update).
public final class InMemoryStateStore: StateStoring, Sendable {
    private struct State {
        var snapshot: StateSnapshot
        var journal: [JournalEntry] = []
        var clock = 0
        var failUpdates: [SRIOVError] = []
        var updateCount = 0
    }

    private let state: Mutex<State>

    /// Creates a store holding `snapshot`.
    public init(_ snapshot: StateSnapshot = StateSnapshot()) { state = Mutex(State(snapshot: snapshot)) }

    /// Makes the next `update` calls fail with these errors, in order (simulates a database error).
    public func failNextUpdates(_ errors: [SRIOVError]) { state.withLock { $0.failUpdates = errors } }

    /// How many updates committed.
    public var committedUpdates: Int { state.withLock { $0.updateCount } }

    public func read() throws(SRIOVError) -> StateSnapshot { state.withLock { $0.snapshot } }

    public func update<Result>(_ body: (StateSnapshot) throws(SRIOVError) -> StateUpdate<Result>) throws(SRIOVError) -> Result {
        let outcome: Swift.Result<Result, SRIOVError> = state.withLock { s in
            if !s.failUpdates.isEmpty { return .failure(s.failUpdates.removeFirst()) }
            do throws(SRIOVError) {
                let update = try body(s.snapshot)
                s.clock += 1
                let now = "t" + String(repeating: "0", count: max(0, 4 - String(s.clock).count)) + String(s.clock)
                var next = s.snapshot
                var entries = try next.apply(update.edits, now: now)
                for i in entries.indices { entries[i].id = Int64(s.journal.count + i + 1) }
                s.snapshot = next
                s.journal.append(contentsOf: entries)
                s.updateCount += 1
                return .success(update.result)
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    public func journal(limit: Int?) throws(SRIOVError) -> [JournalEntry] {
        state.withLock { s in
            let newest = Array(s.journal.reversed())
            return limit.map { Array(newest.prefix($0)) } ?? newest
        }
    }
}
