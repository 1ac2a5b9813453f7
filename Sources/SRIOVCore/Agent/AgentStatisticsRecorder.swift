import Synchronization

/// The agent's ``AgentStatistics`` behind a lock: the pass and the event listeners write,
/// the API's `/metrics` and health handlers read a copy. Safe from any thread or task.
public final class AgentStatisticsRecorder: Sendable {
    private let statistics = Mutex(AgentStatistics())

    /// Creates a recorder with empty statistics.
    public init() {}

    /// A consistent copy of everything counted so far.
    public func snapshot() -> AgentStatistics {
        statistics.withLock { $0 }
    }

    /// Changes the statistics under the lock. Keep `body` short: readers wait for it.
    public func update(_ body: (inout AgentStatistics) -> Void) {
        statistics.withLock { body(&$0) }
    }
}
