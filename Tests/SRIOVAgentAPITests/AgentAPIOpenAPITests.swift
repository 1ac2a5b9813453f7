import AsyncHTTPClient
import NIOHTTP1
import Foundation
@testable import SRIOVAgentAPI
import Testing
import Yams

/// docs/agent-api.yaml against the server: every endpoint's real answers (status and body)
/// must be declared there and match their schema, and every operation there is exercised.
@Suite("agent API matches docs/agent-api.yaml")
struct AgentAPIOpenAPITests {
    static let specPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../docs/agent-api.yaml").standardized.path

    /// Requests covering every operation and the refusals each can answer.
    static let exchanges: [(HTTPMethod, String, String?)] = [
        (.GET, "/v1/health", nil), (.POST, "/v1/health", nil),
        (.POST, "/v1/attach", AgentAPIServerTests.attachBody),
        (.POST, "/v1/attach", #"{"guest": 3, "network": "prod"}"#), (.GET, "/v1/attach", nil),
        (.POST, "/v1/attach", "{"),
        (.POST, "/v1/detach", #"{"guest": "web1", "network": "prod"}"#), (.POST, "/v1/detach", #"{"guest": "web1"}"#),
        (.POST, "/v1/provision", #"{"dryRun": true}"#), (.POST, "/v1/provision", #"{"guest": "a", "force": true}"#),
        (.GET, "/v1/provision", nil),
        (.GET, "/v1/leases", nil), (.PUT, "/v1/leases", nil),
        (.GET, "/v1/audit", nil), (.POST, "/v1/audit/fix", #"{"vfs": ["eth0:3"], "dryRun": true}"#),
        (.POST, "/v1/audit/fix", #"{"vfs": ["eth0"]}"#), (.GET, "/v1/audit/fix", nil),
        (.GET, "/v1/pfs/eth0/vfs", nil), (.GET, "/v1/pfs/eth9/vfs", nil), (.GET, "/v1/pfs/e%20h/vfs", nil),
        (.POST, "/v1/pfs/eth0/vfs", #"{"vfs": [{"vf": 0, "mac": "02:00:00:00:00:01"}]}"#),
        (.POST, "/v1/pfs/eth0/vfs", #"{"vfs": []}"#), (.DELETE, "/v1/pfs/eth0/vfs", nil),
        (.GET, "/metrics", nil), (.POST, "/metrics", nil),
    ]

    @Test("every answer is declared in the spec with its status, and its body matches the schema")
    func answersMatchTheSpec() async throws {
        let spec = try #require(try Yams.load(yaml: String(contentsOfFile: Self.specPath, encoding: .utf8)) as? [String: Any])
        let paths = try #require(spec["paths"] as? [String: Any])
        let agent = try await RunningAgentAPI()
        var exercised: Set<String> = []
        for (method, path, body) in Self.exchanges {
            let answer = try await agent.request(method, path, body: body)
            let template = try #require(paths.keys.first { Self.matches(template: $0, path: path) }, "\(path) is not in the spec")
            let item = paths[template] as? [String: Any]
            let operation = try #require(item?[method.rawValue.lowercased()] as? [String: Any] ?? Self.anyOperation(item),
                                         "\(method) \(path): no operation in the spec")
            exercised.insert("\(method.rawValue) \(template)")
            let responses = try #require(operation["responses"] as? [String: Any])
            var response = try #require(responses[String(answer.status)] as? [String: Any],
                                        "\(method) \(path) answered \(answer.status), which the spec does not declare: \(answer.text)")
            response = try Self.resolve(response, in: spec)
            let content = try #require(response["content"] as? [String: Any])
            if let json = content["application/json"] as? [String: Any] {
                #expect(answer.headers["content-type"] == "application/json")
                let value = try JSONDecoder().decode(JSONValue.self, from: Data(answer.body))
                let problems = Self.validate(value, against: try #require(json["schema"]), in: spec, at: "$")
                #expect(problems.isEmpty, "\(method) \(path) \(answer.status): \(problems)\n\(answer.text)")
            } else {
                #expect(content["text/plain"] != nil && answer.headers["content-type"]?.hasPrefix("text/plain") == true)
            }
        }
        var declared: Set<String> = []
        for (template, item) in paths {
            for method in ["get", "post", "put", "delete"] where (item as? [String: Any])?[method] != nil {
                declared.insert("\(method.uppercased()) \(template)")
            }
        }
        #expect(declared.isSubset(of: exercised), "not exercised: \(declared.subtracting(exercised))")
        // Every route the server knows is in the spec.
        for route in AgentRoute.allCases { #expect(paths[route.label] != nil, "\(route.label) missing from the spec") }
        await agent.stop()
    }

    /// A 405 is declared under any of the path's operations (the method asked has none).
    static func anyOperation(_ item: Any?) -> [String: Any]? {
        guard let item = item as? [String: Any] else { return nil }
        return ["get", "post"].lazy.compactMap { item[$0] as? [String: Any] }.first
    }

    static func matches(template: String, path: String) -> Bool {
        let t = template.split(separator: "/"), p = path.split(separator: "/")
        return t.count == p.count && zip(t, p).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }

    static func resolve(_ object: [String: Any], in spec: [String: Any]) throws -> [String: Any] {
        guard let ref = object["$ref"] as? String else { return object }
        var node: Any = spec
        for part in ref.dropFirst(2).split(separator: "/") { node = try #require((node as? [String: Any])?[String(part)]) }
        return try resolve(try #require(node as? [String: Any]), in: spec)
    }

    /// The JSON Schema subset the spec uses: type (one or a list), enum, const, properties,
    /// required, additionalProperties: false, items, oneOf, $ref.
    static func validate(_ value: JSONValue, against schemaAny: Any, in spec: [String: Any], at place: String) -> [String] {
        guard let raw = schemaAny as? [String: Any], let schema = try? resolve(raw, in: spec) else { return ["\(place): bad schema"] }
        var problems: [String] = []
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [(types as? String) ?? ""]
            if !allowed.contains(where: { typeMatches(value, $0) }) {
                return ["\(place): \(value) is not \(allowed.joined(separator: " or "))"]
            }
        }
        if let alternatives = schema["oneOf"] as? [Any] {
            let results = alternatives.map { validate(value, against: $0, in: spec, at: place) }
            if !results.contains(where: \.isEmpty) { return ["\(place): matches none of oneOf: \(results)"] }
        }
        if value == .null { return [] }
        if let options = schema["enum"] as? [Any], !options.contains(where: { scalar(value) == "\($0)" }) {
            problems.append("\(place): \(value) not in \(options)")
        }
        if let constant = schema["const"], scalar(value) != "\(constant)" { problems.append("\(place): \(value) is not \(constant)") }
        if case .object(let object) = value {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(place): missing \(key)")
            }
            if schema["additionalProperties"] as? Bool == false {
                for key in object.keys where properties[key] == nil { problems.append("\(place): undeclared \(key)") }
            }
            for (key, sub) in properties { if let member = object[key] { problems += validate(member, against: sub, in: spec, at: "\(place).\(key)") } }
        }
        if case .array(let array) = value, let items = schema["items"] {
            for (index, item) in array.enumerated() { problems += validate(item, against: items, in: spec, at: "\(place)[\(index)]") }
        }
        return problems
    }

    static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): text
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .bool(let flag): String(flag)
        default: "\(value)"
        }
    }

    static func typeMatches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool),
             ("integer", .integer), ("number", .integer), ("number", .number): true
        default: false
        }
    }
}
