import Foundation

/// One JSON value of a request body, with its JSON type kept (a number is never a Bool).
enum JSONValue: Decodable, Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let value = try? c.decode(Bool.self) { self = .bool(value); return }
        if let value = try? c.decode(Int.self) { self = .integer(value); return }
        if let value = try? c.decode(Double.self) { self = .number(value); return }
        if let value = try? c.decode(String.self) { self = .string(value); return }
        if let value = try? c.decode([JSONValue].self) { self = .array(value); return }
        self = .object(try c.decode([String: JSONValue].self))
    }

    /// The JSON type's name, for messages.
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A request body that must be one JSON object with known keys, read field by field. Every
/// refusal names the field: unknown keys, wrong types, missing required keys.
struct AgentRequestFields {
    let values: [String: JSONValue]

    /// Parses `bytes` as a JSON object whose keys are all in `allowed`.
    init(_ bytes: some Collection<UInt8>, allowed: Set<String>) throws(AgentRequestError) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw .badField("body", "malformed-json", "the request body is not JSON: \(Self.describe(error))")
        }
        guard case .object(let object) = value else {
            throw .badField("body", "wrong-type", "the request body must be a JSON object, found \(value.typeName)")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw .badField(unknown, "unknown-field",
                            "unknown field '\(unknown)' (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        values = object
    }

    func string(_ key: String) throws(AgentRequestError) -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case let other?: throw Self.wrongType(key, "a string", other)
        }
    }

    func requiredString(_ key: String) throws(AgentRequestError) -> String {
        guard let text = try string(key) else { throw .badField(key, "missing-field", "'\(key)' is required") }
        return text
    }

    func bool(_ key: String) throws(AgentRequestError) -> Bool? {
        switch values[key] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        case let other?: throw Self.wrongType(key, "true or false", other)
        }
    }

    func integer(_ key: String) throws(AgentRequestError) -> Int? {
        switch values[key] {
        case nil, .null?: return nil
        case .integer(let number)?: return number
        case let other?: throw Self.wrongType(key, "an integer", other)
        }
    }

    func array(_ key: String) throws(AgentRequestError) -> [JSONValue]? {
        switch values[key] {
        case nil, .null?: return nil
        case .array(let items)?: return items
        case let other?: throw Self.wrongType(key, "an array", other)
        }
    }

    static func wrongType(_ key: String, _ expected: String, _ found: JSONValue) -> AgentRequestError {
        .badField(key, "wrong-type", "'\(key)' must be \(expected), found \(found.typeName)")
    }

    private static func describe(_ error: any Error) -> String {
        guard case .dataCorrupted(let context)? = error as? DecodingError else { return "\(error)" }
        if let underlying = context.underlyingError as NSError?,
           let detail = underlying.userInfo[NSDebugDescriptionErrorKey] as? String {
            return detail
        }
        return context.debugDescription
    }
}
