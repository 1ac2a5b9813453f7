/// The `vf apply` input: JSON Lines, one VF per line (format in docs/netlink.md).
public enum VFSpecLines {
    /// The keys a line may have.
    public static let keys: Set<String> = ["vf", "mac", "vlan", "qos", "proto", "trust", "spoofchk", "linkState",
                                    "minRate", "maxRate"]

    /// Every change with its place (`spec.jsonl line 3`), checked: JSON, keys, types,
    /// values, duplicate VFs. Throws on the first bad line.
    public static func parse(_ text: String, source: String, pf: String) throws(SRIOVError) -> [(String, VFChange)] {
        var changes: [(String, VFChange)] = []
        var seen: [Int: Int] = [:]
        // A UTF-8 byte order mark (as some editors write) is not part of the first line.
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        // Lines are split and looked at as UTF-8 bytes: splitting by Character (grapheme
        // breaking) cost more than parsing the JSON (docs/benchmarks.md, "vf apply lines").
        for (offset, bytes) in body.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            guard let first = bytes.firstIndex(where: { !blank($0) }), bytes[first] != UInt8(ascii: "#"),
                  bytes[first...].contains(where: { !blank($0) && $0 != UInt8(ascii: "\r") }) else { continue }
            let line = Substring(bytes[first...])
            let number = offset + 1
            let place = "\(source) line \(number)"
            let object: FlatJSONObject
            do {
                object = try FlatJSONObject(parsing: line)
            } catch {
                throw SRIOVError(.invalidValue, "\(place): \(error.message)")
            }
            let change = try change(from: object, place: place, pf: pf)
            if let first = seen[change.index] {
                throw SRIOVError(.invalidValue, "\(place): VF \(change.index) is already set on line \(first)")
            }
            seen[change.index] = number
            changes.append((place, change))
        }
        if changes.isEmpty { throw SRIOVError(.invalidValue, "\(source): no VF to program") }
        return changes
    }

    private static func change(from object: FlatJSONObject, place: String, pf: String) throws(SRIOVError) -> VFChange {
        if let key = object.keys.first(where: { !keys.contains($0) }) {
            throw SRIOVError(.invalidValue, "\(place): unknown key '\(TextRules.escaped(key))' (known: \(keys.sorted().joined(separator: ", ")))")
        }
        guard let vf = try integer(object, "vf", .vfIndex, place: "\(place): ") else {
            throw SRIOVError(.invalidValue, "\(place): missing \"vf\"")
        }
        let at = "\(place): \(pf) VF \(vf): "
        let input = VFSettingsInput(
            mac: try string(object, "mac", place), vlan: try integer(object, "vlan", .vlanID, place: at),
            qos: try integer(object, "qos", .vlanQoS, place: at), proto: try string(object, "proto", place),
            trust: try bool(object, "trust", place), spoofCheck: try bool(object, "spoofchk", place),
            linkState: try string(object, "linkState", place),
            minRate: try integer(object, "minRate", .minRate, place: at),
            maxRate: try integer(object, "maxRate", .maxRate, place: at))
        do {
            let settings = try input.settings(at: "\(pf) VF \(vf)")
            try settings.validate(vfIndex: vf, pf: pf)
            return VFChange(index: vf, settings: settings)
        } catch {
            throw SRIOVError("\(place): \(error.message)", causedBy: error)
        }
    }

    /// The number at `key`, read as `field` (plain digits within its range); errors start with
    /// `place` and end with the key.
    private static func integer(_ object: FlatJSONObject, _ key: String, _ field: NumberField,
                                place: String) throws(SRIOVError) -> Int? {
        switch object[key] {
        case nil, .null?: return nil
        case .integer(let text)?: return try NumberOption.parse(text, field, from: "\"\(key)\"", place: place)
        default: throw SRIOVError(.invalidValue, "\(place)\"\(key)\" must be a number")
        }
    }

    private static func string(_ object: FlatJSONObject, _ key: String, _ place: String) throws(SRIOVError) -> String? {
        switch object[key] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        default: throw SRIOVError(.invalidValue, "\(place): \"\(key)\" must be a string")
        }
    }

    private static func bool(_ object: FlatJSONObject, _ key: String, _ place: String) throws(SRIOVError) -> Bool? {
        switch object[key] {
        case nil, .null?: return nil
        case .bool(let value)?: return value
        default: throw SRIOVError(.invalidValue, "\(place): \"\(key)\" must be true or false")
        }
    }
}
