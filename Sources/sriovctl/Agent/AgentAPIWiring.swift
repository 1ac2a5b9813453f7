import ArgumentParser
import Logging
import SRIOVAgentAPI
import SRIOVCore

/// How `sriovctl agent` builds its local API: the server for the agent's ServiceGroup, bound to
/// the commands' code on the agent's own files.
enum AgentAPIWiring {
    /// The API server for an agent started with `options` and `config` (its `agent.api:`
    /// section), `--metrics-listen` over the config's `metrics_listen` when given, reading the
    /// daemon's numbers from `metrics`.
    /// `requestPass` asks for a pass over a PF an attach or detach through the API changed.
    static func server(options: GlobalOptions, config: HostConfig, metricsListen: AgentMetricsListen?,
                       metrics: any AgentMetricsSource, logger: Logger,
                       requestPass: @escaping @Sendable (PassTarget) -> Void = { _ in }) -> AgentAPIServer {
        AgentAPIServer(
            configuration: AgentAPIConfiguration(config.agentAPI, metricsListen: metricsListen),
            operations: CommandAgentOperations(sysfsRoot: options.sysfsRoot, database: options.db,
                                               configFile: options.configFile, requestPass: requestPass),
            metricsSource: metrics, logger: logger)
    }
}

/// `--metrics-listen 127.0.0.1:9468` (an IP literal; `[::1]:9468` for IPv6).
extension AgentMetricsListen: ExpressibleByArgument {
    public init?(argument: String) {
        guard let parsed = try? AgentMetricsListen(parsing: argument) else { return nil }
        self = parsed
    }
}
