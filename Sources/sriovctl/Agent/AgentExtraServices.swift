import Logging
import SRIOVAgentAPI
import SRIOVCore
import ServiceLifecycle

/// The services the agent runs beside its reconciler in one ServiceGroup: the local API
/// (unix socket) and the optional metrics listener. They are built once the first config has
/// loaded and get the ``AgentRuntime`` (statistics, config in force, pass requests).
///
/// Each service's `run()` should end on graceful shutdown (`cancelOnGracefulShutdown()` or
/// `gracefulShutdown()`); SIGTERM then waits for the reconciler's pass in flight. An error
/// thrown here stops the agent before anything runs, with the message on stderr.
enum AgentExtraServices {
    /// The local API server, on `--agent-socket`, the config's `agent.api.socket`, or the
    /// default socket when the agent works on the default database, sysfs and config (the
    /// rule the commands follow to find it; an agent on other files, a test's, listens nowhere
    /// unless told). `metricsListen` is `--metrics-listen`.
    static func make(runtime: AgentRuntime, metricsListen: AgentMetricsListen?, logger: Logger) throws -> [any Service] {
        let options = runtime.options
        var config = runtime.config
        if let socket = options.agentSocket {
            config.agentAPI.socket = socket
        } else if config.agentAPI.socket == nil {
            let defaults = GlobalOptions.defaults
            guard options.db == defaults.db, options.sysfsRoot == defaults.sysfsRoot,
                  options.configFile == defaults.configFile else {
                logger.notice("local API off: the agent works on other files than the default ones and no socket is given (--agent-socket, agent.api.socket)")
                return []
            }
        }
        return [AgentAPIWiring.server(options: options, config: config, metricsListen: metricsListen,
                                      metrics: AgentRuntimeMetrics(runtime: runtime), logger: logger,
                                      requestPass: { runtime.requestPass($0) })]
    }
}
