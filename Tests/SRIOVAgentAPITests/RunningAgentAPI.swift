import AsyncHTTPClient
import NIOHTTP1
import Foundation
import Logging
import NIOCore
import SRIOVAgentAPI
import SRIOVCore
import ServiceLifecycle
import Testing

/// An ``AgentAPIServer`` running in this process on a socket in a fresh temp directory,
/// driven by a real HTTP client over `http+unix://`.
final class RunningAgentAPI: @unchecked Sendable {
    let dir: String
    private let ownsDirectory: Bool
    let socketPath: String
    let operations: FakeAgentOperations
    private var task: Task<Void, any Error>?
    private var group: ServiceGroup?
    private(set) var endpoints: AgentAPIServer.Endpoints?

    /// A temp directory short enough for sun_path.
    static func tempDirectory() throws -> String {
        let dir = "/tmp/sa-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    init(operations: FakeAgentOperations = FakeAgentOperations(), metrics: AgentMetricsSnapshot = AgentMetricsSnapshot(),
         metricsListen: AgentMetricsListen? = nil, group: String? = nil, dir: String? = nil) async throws {
        ownsDirectory = dir == nil
        self.dir = try dir ?? Self.tempDirectory()
        socketPath = self.dir + "/run/agent.sock"
        self.operations = operations
        let server = AgentAPIServer(
            configuration: AgentAPIConfiguration(socketPath: socketPath, group: group, metricsListen: metricsListen),
            operations: operations, metricsSource: FixedAgentMetricsSource(metrics), logger: Logger(label: "test"),
            onReady: { [ready] in ready.continuation.yield($0) })
        let ready = self.ready
        // As the agent runs it: in a ServiceGroup, stopped by graceful shutdown.
        let group = ServiceGroup(services: [server], logger: Logger(label: "test"))
        self.group = group
        task = Task { try await group.run() }
        // The server either says it is ready or ends with its error.
        let waiter = Task { () -> AgentAPIServer.Endpoints? in
            for await endpoints in ready.stream { return endpoints }
            return nil
        }
        let failure = Task { [task] in
            do { try await task?.value } catch { ready.continuation.finish(); throw error }
            ready.continuation.finish()
        }
        endpoints = await waiter.value
        if endpoints == nil { try await failure.value; throw SRIOVError(.system, "the server ended before it was ready") }
    }

    private let ready = AsyncStream<AgentAPIServer.Endpoints>.makeStream()

    /// Stops the server and waits for it to end.
    func stop() async {
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
        task = nil
    }

    deinit {
        task?.cancel()
        if ownsDirectory { try? FileManager.default.removeItem(atPath: dir) }
    }

    struct Answer {
        let status: Int
        let headers: [String: String]
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], "body: \(text)")
        }
        /// The `error` object of a refusal.
        func error() throws -> [String: Any] {
            try #require(try json()["error"] as? [String: Any], "body: \(text)")
        }
    }

    /// `method path` with `body` on the socket.
    func request(_ method: HTTPMethod, _ path: String, body: String? = nil,
                 headers: [(String, String)] = []) async throws -> Answer {
        try await Self.request(method, try #require(URL(httpURLWithSocketPath: socketPath, uri: path)).absoluteString,
                               body: body.map { Array($0.utf8) }, headers: headers)
    }

    static func request(_ method: HTTPMethod, _ url: String, body: [UInt8]? = nil,
                        headers: [(String, String)] = []) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 22)
        var fields: [String: String] = [:]
        for header in response.headers { fields[header.name.lowercased()] = header.value }
        return Answer(status: Int(response.status.code), headers: fields, body: Array(buffer: bytes))
    }
}
