import Logging
import SRIOVCore
import Synchronization

/// What the agent's services share: the statistics, the config in force, and a way to ask
/// for a pass. Handed to every service in the agent's ServiceGroup (see ``AgentExtraServices``).
final class AgentRuntime: Sendable {
    /// Counters for `/metrics` and health: read ``AgentStatisticsRecorder/snapshot()``.
    let statistics = AgentStatisticsRecorder()
    /// The global options the agent was started with (`--db`, `--config-file`, `--sysfs-root`).
    let options: GlobalOptions
    private let state: Mutex<(config: HostConfig, requests: AsyncStream<AgentInput>.Continuation?, ready: Bool)>

    init(options: GlobalOptions, config: HostConfig) {
        self.options = options
        state = Mutex((config, nil, false))
    }

    /// The config in force (the last one that loaded; a broken file on SIGHUP keeps the old).
    var config: HostConfig { state.withLock { $0.config } }

    /// True once the first full pass has finished (systemd was told READY=1).
    var isReady: Bool { state.withLock { $0.ready } }

    /// Asks for a pass over `target` with trigger ``AgentTrigger/api``; it runs after the pass in
    /// flight, coalesced with others. Does nothing before the reconciler runs or after it stopped.
    func requestPass(_ target: PassTarget) {
        _ = state.withLock { $0.requests }?.yield(.api(target))
    }

    func replaceConfig(_ config: HostConfig) { state.withLock { $0.config = config } }
    func connect(_ continuation: AsyncStream<AgentInput>.Continuation?) { state.withLock { $0.requests = continuation } }
    func markReady() { state.withLock { $0.ready = true } }
}

/// What wakes the reconciler.
enum AgentInput: Sendable {
    /// Datagrams from the kernel event sockets.
    case kernel(KernelEventBatch)
    /// SIGHUP: read the config again.
    case reload
    /// A deadline (coalescer, full pass, watchdog) may have passed.
    case tick
    /// A pass asked for through ``AgentRuntime/requestPass(_:)``.
    case api(PassTarget)
}

/// The part of ``KernelEventSockets/Received`` the reconciler needs (Sendable, no sockets).
struct KernelEventBatch: Sendable {
    var events: [PFEvent]
    var errors: Int
    var overrun: Bool
    var lastError: String?
}
