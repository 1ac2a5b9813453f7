/// Why the agent runs a pass. Counted per kind in ``AgentStatistics`` and named on every log
/// line a pass writes.
public enum AgentTrigger: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first pass after start (and after SIGHUP loaded a new config).
    case startup
    /// The periodic full pass (the safety net).
    case timer
    /// Kernel events about this PF: rtnetlink link notifications or uevents.
    case event
    /// Asked for through the agent's API.
    case api

    /// The kind as a word: `startup`, `timer`, `event`, `api` (also the metric label).
    public var name: String {
        switch self {
        case .startup: "startup"
        case .timer: "timer"
        case .event: "event"
        case .api: "api"
        }
    }

    public var description: String { name }
}
