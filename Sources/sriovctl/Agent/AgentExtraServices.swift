import Logging
import ServiceLifecycle

/// The services the agent runs beside its reconciler in one ServiceGroup: the local API
/// (unix socket) and the optional metrics listener. They are built once the first config has
/// loaded and get the ``AgentRuntime`` (statistics, config in force, pass requests).
///
/// Each service's `run()` should end on graceful shutdown (`cancelOnGracefulShutdown()` or
/// `gracefulShutdown()`); SIGTERM then waits for the reconciler's pass in flight. An error
/// thrown here stops the agent before anything runs, with the message on stderr.
enum AgentExtraServices {
    /// None yet: the API helper returns its server(s) here.
    static func make(runtime: AgentRuntime, logger: Logger) throws -> [any Service] {
        []
    }
}
