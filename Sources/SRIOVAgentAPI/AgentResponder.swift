import Foundation
internal import Hummingbird
import HTTPTypes
import NIOCore
import NIOPosix
import SRIOVCore
import SRIOVFrontEnd

/// The local API's routes: match the path and method, read and check the body, call one
/// ``AgentOperations`` method on the thread pool, answer with the CLI's JSON. Refusals are
/// JSON errors naming the field (``AgentRequestError``); a refused request changed nothing.
struct AgentResponder: HTTPResponder {
    typealias Context = BasicRequestContext

    /// The largest body read: 64 KiB.
    static let maxBodyBytes = 64 * 1024

    let operations: any AgentOperations
    let metrics: AgentAPIMetrics
    /// The TCP listener's responder: only `GET /metrics`.
    let metricsOnly: Bool

    func respond(to request: Request, context: Context) async throws -> Response {
        let match = AgentRoute.match(method: request.method.rawValue, path: request.uri.path, metricsOnly: metricsOnly)
        let label: String
        let response: Response
        switch match {
        case .route(let route, let pf):
            label = route.label
            do {
                response = try await answer(route, pf: pf, request: request)
            } catch let error as AgentRequestError {
                response = Self.error(error)
            } catch {
                // Anything else (the connection, the thread pool): still a JSON error.
                response = Self.error(AgentRequestError(status: 500, code: SRIOVError.Code.system.rawValue, field: nil,
                                                        message: "\(route.label): \(error)"))
            }
        case .methodNotAllowed(let path, let allowed):
            label = path
            var refused = Self.error(AgentRequestError(
                status: 405, code: "method-not-allowed", field: "method",
                message: "\(path) does not take \(request.method.rawValue) (allowed: \(allowed.joined(separator: ", ")))"))
            refused.headers[.allow] = allowed.joined(separator: ", ")
            response = refused
        case .notFound:
            label = "unknown"
            response = Self.error(AgentRequestError(status: 404, code: "not-found", field: "path",
                                                    message: "no endpoint \(quoted(request.uri.path)) (see docs/agent-api.yaml)"))
        }
        metrics.countRequest(route: label, status: Int(response.status.code))
        return response
    }

    private func answer(_ route: AgentRoute, pf: String?, request: Request) async throws -> Response {
        if route != .health && route != .metrics { try checkContext(request) }
        switch route {
        case .health:
            return try Self.json(operations.health())
        case .metrics:
            let text = await metrics.exposition()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        case .leases:
            return try Self.json(try await blocking { () throws(SRIOVError) in try operations.leases() })
        case .audit:
            return try Self.json(try await blocking { () throws(SRIOVError) in try operations.audit() })
        case .provision:
            let parsed = try ProvisionRequest.request(from: try await Self.body(request).readableBytesView)
            let answer = try await blocking { () throws(SRIOVError) in try operations.provision(parsed) }
            // As `provision` exits 1 when anything failed: 200 only when all was done.
            return try Self.json(answer, status: answer.succeeded ? 200 : 500)
        case .auditFix:
            let parsed = try AgentAuditFixRequest.request(from: try await Self.body(request).readableBytesView)
            return try Self.json(try await blocking { () throws(SRIOVError) in try operations.auditFix(parsed) })
        case .attach:
            let parsed = try AttachRequestJSON.request(from: try await Self.body(request).readableBytesView)
            return try Self.json(try await blocking { () throws(SRIOVError) in try operations.attach(parsed) })
        case .detach:
            let parsed = try DetachRequestJSON.request(from: try await Self.body(request).readableBytesView)
            return try Self.json(try await blocking { () throws(SRIOVError) in try operations.detach(parsed) })
        case .showVFs:
            let name = try Self.pfName(pf)
            return try Self.json(try await blocking { () throws(SRIOVError) in try operations.showVFs(pf: name) })
        case .applyVFs:
            let name = try Self.pfName(pf)
            let lines = try VFApplyJSON.specLines(from: try await Self.body(request).readableBytesView)
            let report = try await blocking { () throws(SRIOVError) in
                try operations.applyVFs(pf: name, specLines: lines, source: "vfs")
            }
            // As `vf apply` exits 1 when a VF failed: 200 only when all were programmed.
            return try Self.json(report, status: report.succeeded ? 200 : 500)
        }
    }

    /// Refuses (409, naming the header) a request whose ``AgentContextHeader`` values name
    /// other files than the agent's own.
    private func checkContext(_ request: Request) throws(AgentRequestError) {
        let health = operations.health()
        for (header, own) in [(AgentContextHeader.database, health.database), (AgentContextHeader.configFile, health.configFile),
                              (AgentContextHeader.sysfsRoot, health.sysfsRoot)] {
            guard let name = HTTPField.Name(header), let asked = request.headers[name], asked != own else { continue }
            throw AgentRequestError(status: 409, code: "other-files", field: header,
                                    message: "the agent works on \(own), not \(quoted(asked)) (\(header)); use --direct for other files")
        }
    }

    /// Runs a blocking operation on NIO's thread pool; its ``SRIOVError`` becomes the answer.
    private func blocking<T: Sendable>(_ body: @escaping @Sendable () throws(SRIOVError) -> T) async throws -> T {
        do {
            return try await NIOThreadPool.singleton.runIfActive { () throws -> T in try body() }
        } catch let error as SRIOVError {
            throw AgentRequestError(error)
        }
    }

    /// The body of a POST, refused when over 64 KiB, not JSON by its Content-Type, or empty.
    private static func body(_ request: Request) async throws -> ByteBuffer {
        if let type = request.headers[.contentType],
           !type.lowercased().hasPrefix("application/json") {
            throw AgentRequestError(status: 415, code: "unsupported-media-type", field: "Content-Type",
                                    message: "the body must be application/json, not \(quoted(type))")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodyBytes {
            throw tooLarge(length)
        }
        do {
            return try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge(nil)
        }
    }

    private static func tooLarge(_ length: Int?) -> AgentRequestError {
        AgentRequestError(status: 413, code: "body-too-large", field: "body",
                          message: "the request body" + (length.map { " (\($0) bytes)" } ?? "") + " is over \(maxBodyBytes) bytes")
    }

    /// The `{pf}` of a VF route: a netdev name, PCI address or sysfs device name.
    private static func pfName(_ text: String?) throws(AgentRequestError) -> String {
        guard let text, text.utf8.count <= 64,
              text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "-_.:".unicodeScalars.contains($0)) })
        else {
            throw AgentRequestError(status: 400, code: "invalid-value", field: "pf",
                                    message: "PF \(quoted(text ?? "")) is not a netdev name or PCI address")
        }
        return text
    }

    static func json<T: Encodable>(_ value: T, status: Int = 200) throws -> Response {
        var data = try OutputJSON.encode(value)
        data.append(UInt8(ascii: "\n"))
        return Response(status: .init(code: status), headers: [.contentType: "application/json"],
                         body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ error: AgentRequestError) -> Response {
        // The envelope holds strings and numbers only: encoding cannot fail.
        (try? json(AgentRequestError.Envelope(error: error), status: error.status))
            ?? Response(status: .init(code: error.status))
    }
}
