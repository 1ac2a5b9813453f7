import Foundation
internal import Hummingbird
public import Logging
import NIOConcurrencyHelpers
import NIOCore
public import SRIOVCore
public import ServiceLifecycle

/// The agent's local API as a swift-service-lifecycle `Service`: HTTP/1.1 + JSON on a unix
/// socket (mode 0660, the configured group), and, when configured, a TCP listener that serves
/// only `GET /metrics`. Endpoints: docs/agent-api.yaml; metrics: docs/metrics.md.
///
/// `run()` refuses to start when the socket path is anything but missing or this agent's own
/// stale socket (see ``AgentSocketPath``), ends on graceful shutdown (requests in flight are
/// answered) or cancellation, and then removes the socket it made. Add it to the agent's
/// `ServiceGroup` next to the daemon loop.
public struct AgentAPIServer: Service {
    /// Where the server listens once it is ready.
    public struct Endpoints: Sendable {
        /// The unix socket clients connect to.
        public var socketPath: String
        /// The metrics listener's port (the real one when 0 was asked), `nil` without one.
        public var metricsPort: Int?
    }

    private let configuration: AgentAPIConfiguration
    private let operations: any AgentOperations
    private let metrics: AgentAPIMetrics
    private let logger: Logger
    private let onReady: @Sendable (Endpoints) async -> Void

    /// A server for `operations`, reading the daemon's metrics from `metricsSource`.
    /// `onReady` is called once the socket is reachable (and the metrics port bound).
    public init(configuration: AgentAPIConfiguration, operations: any AgentOperations,
                metricsSource: any AgentMetricsSource, logger: Logger,
                onReady: @escaping @Sendable (Endpoints) async -> Void = { _ in }) {
        self.configuration = configuration
        self.operations = operations
        self.metrics = AgentAPIMetrics(source: metricsSource)
        self.logger = logger
        self.onReady = onReady
    }

    /// Serves until graceful shutdown or cancellation. Throws ``SRIOVError`` when the socket
    /// path is refused or the socket cannot be published.
    public func run() async throws {
        let socket = try AgentSocketPath.prepare(path: configuration.socketPath, groupName: configuration.group)
        let published = NIOLockedValueBox<(dev_t, ino_t)?>(nil)
        defer { socket.remove(published: published.withLockedValue { $0 }) }
        let (started, startedContinuation) = AsyncStream<Result<Int?, SRIOVError>>.makeStream()
        let logger = self.logger
        for leftover in socket.removedLeftovers {
            logger.notice("removed \(leftover): the bind directory of an agent that was killed before its socket was ready")
        }
        let socketApp = Application(
            responder: AgentResponder(operations: operations, metrics: metrics, metricsOnly: false),
            configuration: ApplicationConfiguration(address: .unixDomainSocket(path: socket.bindPath), serverName: nil),
            onServerRunning: { _ in
                do {
                    try socket.publish()
                    published.withLockedValue { $0 = socket.identity() }
                    logger.info("agent API listening", metadata: ["socket": "\(socket.path)"])
                    startedContinuation.yield(.success(nil))
                } catch let error as SRIOVError {
                    startedContinuation.yield(.failure(error))
                } catch {
                    startedContinuation.yield(.failure(SRIOVError(.system, "agent socket \(socket.path): \(error)")))
                }
            },
            logger: logger)
        let metricsApp = configuration.metricsListen.map { listen in
            Application(
                responder: AgentResponder(operations: operations, metrics: metrics, metricsOnly: true),
                configuration: ApplicationConfiguration(address: .hostname(listen.host, port: listen.port), serverName: nil),
                onServerRunning: { channel in
                    logger.info("agent metrics listening", metadata: ["address": "\(listen)"])
                    startedContinuation.yield(.success(channel.localAddress?.port ?? listen.port))
                },
                logger: logger)
        }
        let expected = metricsApp == nil ? 1 : 2
        let onReady = self.onReady
        let socketPath = socket.path
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await socketApp.run() }
            if let metricsApp { group.addTask { try await metricsApp.run() } }
            group.addTask {
                var metricsPort: Int?
                var count = 0
                for await result in started {
                    switch result {
                    case .success(let port): metricsPort = port ?? metricsPort
                    case .failure(let error): throw error
                    }
                    count += 1
                    if count == expected { break }
                }
                if count == expected { await onReady(Endpoints(socketPath: socketPath, metricsPort: metricsPort)) }
            }
            try await group.waitForAll()
        }
    }
}
