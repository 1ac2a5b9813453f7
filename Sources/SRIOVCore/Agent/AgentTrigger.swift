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
    /// SIGHUP loaded a new config: a pass over every PF with it.
    case reload

    /// The kind as a word: `startup`, `timer`, `event`, `api`, `reload` (also the metric label).
    public var name: String {
        switch self {
        case .startup: "startup"
        case .timer: "timer"
        case .event: "event"
        case .api: "api"
        case .reload: "reload"
        }
    }

    public var description: String { name }
}
