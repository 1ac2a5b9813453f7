/// The `vf apply` input: JSON Lines, one VF per line (format in docs/netlink.md).
public enum VFSpecLines {
    /// The keys a line may have (an array: checking a handful is cheaper than hashing).
    public static let keys: [String] = ["vf", "mac", "vlan", "qos", "proto", "trust", "spoofchk", "linkState",
                                    "minRate", "maxRate"]

    /// One checked line: its number in the input and the change it asks for.
    public struct Line: Sendable {
        /// 1-based, counting blank and comment lines.
        public var number: Int
        /// The VF and its settings.
        public var change: VFChange
    }

    /// Every change with its line number, checked: JSON, keys, types, values, duplicate VFs.
    /// Throws on the first bad line, naming it (`spec.jsonl line 3: ...`, `source` being
    /// `spec.jsonl`).
    public static func parse(_ text: String, source: String, pf: String) throws(SRIOVError) -> [Line] {
        var lines: [Line] = []
        var seen: [Int: Int] = [:]
        // A UTF-8 byte order mark (as some editors write) is not part of the first line.
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        // Lines are split and looked at as UTF-8 bytes, in one array: splitting by Character
        // (grapheme breaking) cost more than parsing the JSON, and a generic split of the
        // string's UTF-8 view a sixth of it (docs/benchmarks.md, "vf apply lines"). A line's
        // place (`spec.jsonl line 3`) is put into words only for an error.
        let bytes = Array(body.utf8)
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        var start = 0
        var number = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { start = end + 1 }
            number += 1
            guard let first = bytes[start..<end].firstIndex(where: { !blank($0) }), bytes[first] != UInt8(ascii: "#"),
                  bytes[first..<end].contains(where: { !blank($0) && $0 != UInt8(ascii: "\r") }) else { continue }
            let line = bytes[first..<end]
            let object: FlatJSONObject
            do {
                object = try FlatJSONObject(parsing: line)
            } catch {
                throw SRIOVError(.invalidValue, "\(place(source, number)): \(error.message)")
            }
            let change = try change(from: object, source: source, number: number, pf: pf)
            if let first = seen[change.index] {
                throw SRIOVError(.invalidValue, "\(place(source, number)): VF \(change.index) is already set on line \(first)")
            }
            seen[change.index] = number
            lines.append(Line(number: number, change: change))
        }
        if lines.isEmpty { throw SRIOVError(.invalidValue, "\(source): no VF to program") }
        return lines
    }

    /// Where line `number` of `source` is, in errors: `spec.jsonl line 3`.
    public static func place(_ source: String, _ number: Int) -> String { "\(source) line \(number)" }

    private static func change(from object: FlatJSONObject, source: String, number: Int, pf: String) throws(SRIOVError) -> VFChange {
        let here: () -> String = { Self.place(source, number) }
        if let key = object.entries.first(where: { entry in !keys.contains(entry.key) })?.key {
            throw SRIOVError(.invalidValue, "\(here()): unknown key '\(TextRules.escaped(key))' (known: \(keys.sorted().joined(separator: ", ")))")
        }
        guard let vf = try integer(object, "vf", .vfIndex, place: { "\(here()): " }) else {
            throw SRIOVError(.invalidValue, "\(here()): missing \"vf\"")
        }
        let at: () -> String = { "\(here()): \(pf) VF \(vf): " }
        let input = VFSettingsInput(
            mac: try string(object, "mac", here), vlan: try integer(object, "vlan", .vlanID, place: at),
            qos: try integer(object, "qos", .vlanQoS, place: at), proto: try string(object, "proto", here),
            trust: try bool(object, "trust", here), spoofCheck: try bool(object, "spoofchk", here),
            linkState: try string(object, "linkState", here),
            minRate: try integer(object, "minRate", .minRate, place: at),
            maxRate: try integer(object, "maxRate", .maxRate, place: at))
        do throws(SRIOVError) {
            let settings = try input.settings(at: "\(pf) VF \(vf)")
            try settings.validate(vfIndex: vf, pf: pf)
            return VFChange(index: vf, settings: settings)
        } catch {
            throw SRIOVError("\(here()): \(error.message)", causedBy: error)
        }
    }

    /// The number at `key`, read as `field` (plain digits within its range); errors start with
    /// `place` and end with the key.
    private static func integer(_ object: FlatJSONObject, _ key: String, _ field: NumberField,
                                place: () -> String) throws(SRIOVError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .integer(let text)?: return try NumberOption.parse(text, field, from: "\"\(key)\"", place: place())
        default: throw SRIOVError(.invalidValue, "\(place())\"\(key)\" must be a number")
        }
    }

    private static func string(_ object: FlatJSONObject, _ key: String, _ place: () -> String) throws(SRIOVError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw SRIOVError(.invalidValue, "\(place()): \"\(key)\" must be a string")
        }
    }

    private static func bool(_ object: FlatJSONObject, _ key: String, _ place: () -> String) throws(SRIOVError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw SRIOVError(.invalidValue, "\(place()): \"\(key)\" must be true or false")
        }
    }
}
