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
        // The line that set each VF index, 0 for none: an array indexed by VF (at most 65535
        // entries), as a first Dictionary<Int, Int> costs more Swift runtime type lookups
        // than the lines it would check.
        var seen: [Int] = []
        // Lines are split and looked at as UTF-8 bytes, in one array copied whole from the
        // string's storage: splitting by Character (grapheme breaking) cost more than parsing the
        // JSON, a generic split of the UTF-8 view a sixth of it, and a byte-by-byte copy of a
        // Substring's UTF-8 a tenth (docs/benchmarks.md, "vf apply lines"). A line's place
        // (`spec.jsonl line 3`) is put into words only for an error. A UTF-8 byte order mark,
        // as some editors write, is not part of the first line.
        var bytes = text.utf8.withContiguousStorageIfAvailable { Array($0) } ?? Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
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
            if change.index >= seen.count { seen += repeatElement(0, count: change.index + 1 - seen.count) }
            if seen[change.index] != 0 {
                throw SRIOVError(.invalidValue, "\(place(source, number)): VF \(change.index) is already set on line \(seen[change.index])")
            }
            seen[change.index] = number
            lines.append(Line(number: number, change: change))
        }
        if lines.isEmpty { throw SRIOVError(.invalidValue, "\(source): no VF to program") }
        return lines
    }

    /// Where line `number` of `source` is, in errors: `spec.jsonl line 3`.
    public static func place(_ source: String, _ number: Int) -> String { "\(source) line \(number)" }

    /// A line's values by key, found in one pass over its entries (looking each key up
    /// cost more than the rest of the line's parse).
    private struct Values {
        var vf, mac, vlan, qos, proto, trust, spoofchk, linkState, minRate, maxRate: FlatJSONObject.Value?

        /// The values of `object`, or the first key that is not one of ``VFSpecLines/keys``.
        init(_ object: FlatJSONObject) throws(SRIOVError) {
            for (key, value) in object.entries {
                switch key {
                case "vf": vf = value
                case "mac": mac = value
                case "vlan": vlan = value
                case "qos": qos = value
                case "proto": proto = value
                case "trust": trust = value
                case "spoofchk": spoofchk = value
                case "linkState": linkState = value
                case "minRate": minRate = value
                case "maxRate": maxRate = value
                default: throw SRIOVError(.invalidValue, "unknown key '\(TextRules.escaped(key))' (known: \(keys.sorted().joined(separator: ", ")))")
                }
            }
        }
    }

    private static func change(from object: FlatJSONObject, source: String, number: Int, pf: String) throws(SRIOVError) -> VFChange {
        let here: () -> String = { Self.place(source, number) }
        let values: Values
        do {
            values = try Values(object)
        } catch {
            throw SRIOVError(.invalidValue, "\(here()): \(error.message)")
        }
        guard let vf = try integer(values.vf, "vf", .vfIndex, place: { "\(here()): " }) else {
            throw SRIOVError(.invalidValue, "\(here()): missing \"vf\"")
        }
        let at: () -> String = { "\(here()): \(pf) VF \(vf): " }
        let input = VFSettingsInput(
            mac: try string(values.mac, "mac", here), vlan: try integer(values.vlan, "vlan", .vlanID, place: at),
            qos: try integer(values.qos, "qos", .vlanQoS, place: at), proto: try string(values.proto, "proto", here),
            trust: try bool(values.trust, "trust", here), spoofCheck: try bool(values.spoofchk, "spoofchk", here),
            linkState: try string(values.linkState, "linkState", here),
            minRate: try integer(values.minRate, "minRate", .minRate, place: at),
            maxRate: try integer(values.maxRate, "maxRate", .maxRate, place: at))
        do throws(SRIOVError) {
            let settings = try input.settings(at: "\(pf) VF \(vf)")
            try settings.validate(vfIndex: vf, pf: pf)
            return VFChange(index: vf, settings: settings)
        } catch {
            throw SRIOVError("\(here()): \(error.message)", causedBy: error)
        }
    }

    /// The number `value` of `key`, read as `field` (plain digits within its range); errors start with
    /// `place` and end with the key.
    private static func integer(_ value: FlatJSONObject.Value?, _ key: String, _ field: NumberField,
                                place: () -> String) throws(SRIOVError) -> Int? {
        switch value {
        case nil, .null?: return nil
        case .integer(let text)?: return try NumberOption.parse(text, field, from: "\"\(key)\"", place: place())
        default: throw SRIOVError(.invalidValue, "\(place())\"\(key)\" must be a number")
        }
    }

    private static func string(_ value: FlatJSONObject.Value?, _ key: String, _ place: () -> String) throws(SRIOVError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw SRIOVError(.invalidValue, "\(place()): \"\(key)\" must be a string")
        }
    }

    private static func bool(_ value: FlatJSONObject.Value?, _ key: String, _ place: () -> String) throws(SRIOVError) -> Bool? {
        switch value {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw SRIOVError(.invalidValue, "\(place()): \"\(key)\" must be true or false")
        }
    }
}
