import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// The JSON report matches docs/audit.schema.json exactly: every key the schema lists is
/// present, no other key appears, and the values have the documented types and forms.
@Suite("Audit JSON schema")
struct AuditJSONSchemaTests {
    static let schemaURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/audit.schema.json")

    func check(_ report: AuditReport) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try JSONSerialization.jsonObject(with: try encoder.encode(report), options: [.fragmentsAllowed])
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL)) as? [String: Any])
        let problems = SchemaCheck(root: schema).problems(json, schema, at: "$")
        #expect(problems.isEmpty, "\(problems.prefix(10).joined(separator: "\n"))")
    }

    @Test("A host report with every kind of finding matches the schema")
    func showcase() throws {
        var input = AuditSnapshots.showcase()
        input.pfs.append(AuditPF(name: "eth9", vfs: [AuditVF(index: 0, live: nil)], readError: "netlink: no such device"))
        try check(AuditEngine.audit(input, generatedAt: "2026-01-01T00:00:00Z", generator: "sriovctl 0.1.0"))
    }

    @Test("A fleet report with a cross-host finding and a host without libvirt matches the schema")
    func fleet() throws {
        var a = AuditSnapshots.cleanHost()
        a.guests = nil
        var b = AuditSnapshots.cleanHost()
        b.hostName = "host02"
        let merged = try AuditFleetMerge.merge([.init(name: "a", report: AuditEngine.audit(a)),
                                                .init(name: "b", report: AuditEngine.audit(b))], generator: "t")
        #expect(merged.findings.contains { $0.rule == .duplicateMACAcrossHosts })
        try check(merged)
    }

    @Test("The checker has teeth: an undocumented key, a missing key and a wrong type are caught")
    func checkerCatches() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL)) as? [String: Any])
        let encoder = JSONEncoder()
        var json = try #require(try JSONSerialization.jsonObject(
            with: encoder.encode(AuditEngine.audit(AuditSnapshots.cleanHost()))) as? [String: Any])
        json["extra"] = 1
        json["host"] = 3
        json.removeValue(forKey: "summary")
        let problems = SchemaCheck(root: schema).problems(json, schema, at: "$")
        #expect(problems.contains("$: undocumented key extra"))
        #expect(problems.contains("$: missing summary"))
        #expect(problems.contains { $0.hasPrefix("$.host: matches 0 of the oneOf options") })
    }

    @Test("Every rule id in the code is documented in the schema, and no other")
    func rulesDocumented() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.schemaURL)) as? [String: Any])
        let defs = try #require(schema["$defs"] as? [String: Any])
        let rules = try #require((defs["rule"] as? [String: Any])?["enum"] as? [String])
        #expect(Set(rules) == Set(AuditRule.allCases.map(\.rawValue)))
    }
}

/// A small JSON Schema checker for the keywords docs/audit.schema.json uses: type, const, enum,
/// pattern, minimum, minItems, required, properties, additionalProperties, items, oneOf, $ref.
struct SchemaCheck {
    let root: [String: Any]

    func problems(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        if let ref = schema["$ref"] as? String {
            let name = String(ref.dropFirst("#/$defs/".count))
            guard let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any] else { return ["\(path): bad $ref \(ref)"] }
            return problems(value, target, at: path)
        }
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { problems(value, $0, at: path).isEmpty }.count
            return matching == 1 ? [] : ["\(path): matches \(matching) of the oneOf options: \(value)"]
        }
        var out: [String] = []
        if let constant = schema["const"], "\(constant)" != "\(value)" { out.append("\(path): expected \(constant)") }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" && !(value is NSNull) }) {
            out.append("\(path): \(value) not in \(options)")
        }
        if let type = schema["type"] as? String, !Self.isType(value, type) {
            return out + ["\(path): expected \(type), got \(value)"]
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            out.append("\(path): '\(text)' does not match \(pattern)")
        }
        if let minimum = schema["minimum"] as? Int, let number = value as? Int, number < minimum {
            out.append("\(path): \(number) < \(minimum)")
        }
        if let array = value as? [Any] {
            if let minItems = schema["minItems"] as? Int, array.count < minItems { out.append("\(path): fewer than \(minItems) items") }
            if let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { out += problems(item, items, at: "\(path)[\(i)]") }
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { out.append("\(path): missing \(key)") }
            if schema["additionalProperties"] as? Bool == false {
                for key in object.keys where properties[key] == nil { out.append("\(path): undocumented key \(key)") }
            }
            for (key, sub) in properties {
                if let child = object[key], let sub = sub as? [String: Any] { out += problems(child, sub, at: "\(path).\(key)") }
            }
        }
        return out
    }

    static func isType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "boolean": return (value as? NSNumber).map(isBool) ?? false
        case "integer": return (value as? NSNumber).map { !isBool($0) && $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    /// JSONSerialization gives booleans as NSNumber of Objective-C type `c` (char) or `B`.
    static func isBool(_ number: NSNumber) -> Bool {
        let type = String(cString: number.objCType)
        return type == "c" || type == "B"
    }
}
