public import SRIOVCore
import Synchronization

/// ``ProcessLiveness`` with a settable current process and set of running processes.
/// The current process always counts as running.
public final class FakeProcessLiveness: ProcessLiveness, Sendable {
    private struct State {
        var current: OperationOwner
        var running: Set<OperationOwner>
    }

    private let state: Mutex<State>

    /// Creates a liveness whose current process is `pid` (in boot `boot`).
    public init(pid: Int32 = 100, boot: String = "boot-1") {
        state = Mutex(State(current: FakeProcessLiveness.owner(pid, boot: boot), running: []))
    }

    /// An owner for a fake pid.
    public static func owner(_ pid: Int32, boot: String = "boot-1") -> OperationOwner {
        OperationOwner(pid: pid, startTime: UInt64(pid) * 10, bootID: boot)
    }

    /// Becomes process `pid` (a "new run"); the previous process is no longer running.
    public func becomeProcess(_ pid: Int32, boot: String? = nil) {
        state.withLock { s in s.current = FakeProcessLiveness.owner(pid, boot: boot ?? s.current.bootID) }
    }

    /// Marks another process as running (or not).
    public func setRunning(_ owner: OperationOwner, _ running: Bool) {
        state.withLock { s in
            if running { s.running.insert(owner) } else { s.running.remove(owner) }
        }
    }

    public var current: OperationOwner { state.withLock { $0.current } }

    public func isRunning(_ owner: OperationOwner) -> Bool {
        state.withLock { $0.current == owner || $0.running.contains(owner) }
    }
}
