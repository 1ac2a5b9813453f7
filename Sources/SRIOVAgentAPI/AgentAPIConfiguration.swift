public import SRIOVCore

/// Where the local API listens: the unix socket (and its group), and the optional TCP
/// listener that serves only `GET /metrics`.
public struct AgentAPIConfiguration: Hashable, Sendable {
    /// The default socket.
    public static let defaultSocketPath = "/run/sriovctl/agent.sock"

    /// The unix socket's path.
    public var socketPath: String
    /// The group that may connect (mode 0660), `nil` for the agent's own group.
    public var group: String?
    /// `host:port` for `GET /metrics` over TCP, `nil` for none. Never serves anything else.
    public var metricsListen: AgentMetricsListen?

    /// Creates a configuration.
    public init(socketPath: String = AgentAPIConfiguration.defaultSocketPath, group: String? = nil,
                metricsListen: AgentMetricsListen? = nil) {
        self.socketPath = socketPath
        self.group = group
        self.metricsListen = metricsListen
    }

    /// The config file's `agent.api:` section, with `--metrics-listen` over it when given.
    public init(_ settings: AgentAPISettings, metricsListen override: AgentMetricsListen? = nil) {
        self.init(socketPath: settings.socket ?? Self.defaultSocketPath, group: settings.group,
                  metricsListen: override ?? settings.metricsListen)
    }
}
