/// The `POST /v1/pfs/{pf}/vfs` body: `{"vfs": [ {…}, … ]}`, each object one line of
/// `vf apply`'s JSON Lines (docs/netlink.md); the operation checks every line before anything
/// is sent, naming `vfs line N` (N counted from 1).
enum VFApplyJSON {
    /// The objects of `vfs` as JSON Lines, one per element, written straight from the parsed
    /// body (compact, keys sorted): the body is parsed once here and each line once more by
    /// `vf apply`'s own reader, which checks it. (Re-serialising each object through
    /// JSONSerialization cost more than half of the agent's CPU for a 256-VF bulk apply.)
    static func specLines(from bytes: some Collection<UInt8>) throws(AgentRequestError) -> String {
        let fields = try AgentRequestFields(bytes, allowed: ["vfs"])
        guard let items = try fields.array("vfs") else { throw .badField("vfs", "missing-field", "'vfs' is required") }
        guard !items.isEmpty else { throw .badField("vfs", "invalid-value", "'vfs' lists no VF") }
        var text = ""
        text.reserveCapacity(items.count * 64)
        for (index, item) in items.enumerated() {
            guard case .object = item else {
                throw .badField("vfs[\(index)]", "wrong-type", "'vfs[\(index)]' must be an object, found \(item.typeName)")
            }
            if index > 0 { text += "\n" }
            item.writeJSON(into: &text)
        }
        return text
    }
}

extension JSONValue {
    /// Appends this value as compact JSON text (object keys sorted, strings escaped as RFC 8259 requires).
    func writeJSON(into text: inout String) {
        switch self {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .integer(let number): text += String(number)
        case .number(let number): text += number.isFinite ? String(number) : "null"
        case .string(let string): Self.writeString(string, into: &text)
        case .array(let values):
            text += "["
            for (index, value) in values.enumerated() {
                if index > 0 { text += "," }
                value.writeJSON(into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                Self.writeString(key, into: &text)
                text += ":"
                members[key]!.writeJSON(into: &text)
            }
            text += "}"
        }
    }

    private static func writeString(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
