import ArgumentParser
import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import SRIOVAgentAPI
import SRIOVCore
import SRIOVFrontEnd
import SRIOVLinux

/// `sriovctl agent`: the long-running service that keeps every VF as the config and the state
/// database say (docs/agent.md). Run by contrib/systemd/sriovctl-agent.service.
struct AgentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Keep every VF as configured and leased: watch kernel events and repair what changed.",
        discussion: """
        Runs until SIGTERM or SIGINT (the pass in flight finishes first). A pass does what provision and \
        audit --fix do, one PF at a time, holding the same lock as the commands. Passes run on kernel events \
        (link notifications, uevents; coalesced per PF), every agent.full_pass_interval seconds (default 60), \
        and at start. SIGHUP re-reads the config file; a broken one is reported and the previous one stays in force. \
        Under systemd (Type=notify) it sends READY=1 after the first full pass and WATCHDOG=1 when WatchdogSec= is set. \
        The local API (docs/agent-api.yaml: attach, detach, leases, provision, audit --fix, GET /metrics) listens on \
        --agent-socket, agent.api.socket, or /run/sriovctl/agent.sock when the default --db, --sysfs-root and --config-file \
        are used; --metrics-listen also serves GET /metrics over TCP (docs/metrics.md). \
        Logs go to stderr, one line per change. Exit codes: 0 stopped by a signal; 1 could not start.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp(
        "Also serve GET /metrics over TCP here (an IP literal and port, e.g. 127.0.0.1:9468; over agent.api.metrics_listen).",
        valueName: "host:port"))
    var metricsListen: AgentMetricsListen?

    func run() throws {
        var logger = Logger(label: "sriovctl-agent")
        logger.logLevel = StandardErrorLogging.requestedLevel() == .debug ? .debug : .info
        let services = HostServices(options: global, label: "sriovctl-agent")
        let config = try exitingOnFailure { () throws(SRIOVError) in try services.loadConfig() }
        let sockets = try exitingOnFailure { () throws(SRIOVError) in try KernelEventSockets() }
        let runtime = AgentRuntime(options: global, config: config)
        let notifier = SystemdNotifier(environment: ProcessInfo.processInfo.environment)
        let reconciler = ReconcileService(runtime: runtime, logger: logger, notifier: notifier, sockets: sockets)
        let extra: [any Service]
        do {
            extra = try AgentExtraServices.make(runtime: runtime, metricsListen: metricsListen, logger: logger)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: reconciler)] + extra.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        logger.notice("agent starting: config \(global.configFile), database \(global.db)")

        let finished = DispatchSemaphore(value: 0)
        let failure = Failure()
        Task {
            do { try await group.run() } catch { failure.set("\(error)") }
            finished.signal()
        }
        finished.wait()
        if let message = failure.get() {
            printError("error: agent stopped: \(message)")
            throw ExitCode(1)
        }
    }

    /// The service group's error, handed from its task to the waiting main thread.
    private final class Failure: @unchecked Sendable {
        private let lock = NSLock()
        private var message: String?
        func set(_ text: String) { lock.withLock { message = text } }
        func get() -> String? { lock.withLock { message } }
    }
}
