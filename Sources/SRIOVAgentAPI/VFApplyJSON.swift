import Foundation

/// The `POST /v1/pfs/{pf}/vfs` body: `{"vfs": [ {…}, … ]}`, each object one line of
/// `vf apply`'s JSON Lines (docs/netlink.md); the operation checks every line before anything
/// is sent, naming `vfs line N` (N counted from 1).
enum VFApplyJSON {
    /// The objects of `vfs` as JSON Lines, one per element.
    static func specLines(from bytes: some Collection<UInt8>) throws(AgentRequestError) -> String {
        let fields = try AgentRequestFields(bytes, allowed: ["vfs"])
        guard let items = try fields.array("vfs") else { throw .badField("vfs", "missing-field", "'vfs' is required") }
        guard !items.isEmpty else { throw .badField("vfs", "invalid-value", "'vfs' lists no VF") }
        guard let raw = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let objects = raw["vfs"] as? [Any] else {
            throw .badField("vfs", "wrong-type", "'vfs' must be an array of objects")
        }
        var lines: [String] = []
        for (index, item) in zip(items.indices, items) {
            guard case .object = item, let object = objects[index] as? [String: Any],
                  let line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else {
                throw .badField("vfs[\(index)]", "wrong-type", "'vfs[\(index)]' must be an object, found \(item.typeName)")
            }
            lines.append(String(decoding: line, as: UTF8.self))
        }
        return lines.joined(separator: "\n")
    }
}
