public import SRIOVCore
import Yams

/// A YAML node with the file, line and key path it came from, so every error can say
/// `config.yaml:12: pfs[0].num_vfs: expected a whole number, found 'many'`.
struct ConfigNode {
    let node: Node
    let file: String
    /// Dotted key path from the document root (`pfs[0].vf_defaults.vlan`).
    let path: String

    /// `file:line` of this node.
    var location: String { "\(file):\(node.mark?.line ?? 0)" }

    func error(_ problem: String) -> SRIOVError {
        SRIOVError(.invalidConfig, "\(location): \(path.isEmpty ? "" : "\(path): ")\(problem)")
    }

    private var found: String {
        switch node {
        case .scalar(let scalar): "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private func child(_ node: Node, _ key: String) -> ConfigNode {
        ConfigNode(node: node, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    // MARK: Structure

    /// The entries of a mapping, checking that every key is one of `allowed` and none repeats.
    func mapping(allowed: Set<String>) throws(SRIOVError) -> [String: ConfigNode] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping, found \(found)") }
        var result: [String: ConfigNode] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else { throw error("keys must be plain words") }
            let entry = child(value, TextRules.escaped(key.string))
            guard allowed.contains(key.string) else {
                throw ConfigNode(node: keyNode, file: file, path: entry.path).error(
                    "unknown key '\(TextRules.escaped(key.string))' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard result[key.string] == nil else {
                throw ConfigNode(node: keyNode, file: file, path: entry.path).error("key '\(TextRules.escaped(key.string))' appears twice")
            }
            result[key.string] = entry
        }
        return result
    }

    /// The entries of a mapping keyed by numbers (per-VF overrides).
    func numberedMapping() throws(SRIOVError) -> [(Int, ConfigNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected a mapping of VF index to settings, found \(found)") }
        var result: [(Int, ConfigNode)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                throw ConfigNode(node: keyNode, file: file, path: path).error("VF index must be a whole number >= 0")
            }
            let index: Int
            do {
                index = try NumberField.vfIndex.parse(key.string)
            } catch {
                throw ConfigNode(node: keyNode, file: file, path: path).error(error.message)
            }
            guard !result.contains(where: { $0.0 == index }) else {
                throw ConfigNode(node: keyNode, file: file, path: path).error("VF \(index) appears twice")
            }
            result.append((index, child(value, "\(index)")))
        }
        return result
    }

    /// The items of a list.
    func list() throws(SRIOVError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(found)") }
        return sequence.enumerated().map { ConfigNode(node: $1, file: file, path: "\(path)[\($0)]") }
    }

    // MARK: Scalars

    /// The text of a scalar. Refuses an empty one and one holding a control character (Unicode
    /// Cc, which YAML lets in through `"\x85"`-style escapes), a bidirectional formatting
    /// character or U+FFFE/U+FFFF: config text reaches the state database, tables, logs and
    /// libvirt XML.
    func string() throws(SRIOVError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            throw error("expected a text value, found \(found)")
        }
        if let bad = TextRules.firstForbiddenInName(scalar.string) {
            throw error("'\(TextRules.escaped(scalar.string))' contains \(TextRules.kind(of: bad)) (\(TextRules.codePoint(bad)))")
        }
        return scalar.string
    }

    /// A number read with the core's bounded parser (plain decimal digits within `field`'s range).
    func number(_ field: NumberField) throws(SRIOVError) -> Int {
        let text = try string()
        do {
            return try field.parse(text)
        } catch {
            throw self.error(error.message)
        }
    }

    func bool() throws(SRIOVError) -> Bool {
        let text = try string()
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found '\(text)'")
        }
    }

    func mac() throws(SRIOVError) -> MACAddress {
        let text = try string()
        guard let mac = MACAddress(text) else {
            throw error("'\(text)' is not a MAC address (aa:bb:cc:dd:ee:ff: six octets of two hex digits)")
        }
        return mac
    }

    func pfSelector() throws(SRIOVError) -> PFSelector {
        PFSelector(parsing: try string())
    }

    /// A network's `pfs:` entry, `eth0` or `eth0#0-7` (``NetworkPFEntry``).
    func networkPFEntry() throws(SRIOVError) -> NetworkPFEntry {
        let text = try string()
        do {
            return try NetworkPFEntry(parsing: text)
        } catch {
            throw self.error(error.message)
        }
    }
}
