import Foundation

/// Writes a flat JSON object of strings, booleans and integers, leaving out `nil` values:
/// the bodies the CLI sends to the agent.
struct JSONObjectWriter {
    private var members: [String: Any] = [:]

    mutating func string(_ key: String, _ value: String?) { if let value { members[key] = value } }
    mutating func bool(_ key: String, _ value: Bool?) { if let value { members[key] = value } }
    mutating func integer(_ key: String, _ value: Int?) { if let value { members[key] = value } }
    mutating func strings(_ key: String, _ value: [String]) { members[key] = value }

    /// The object's bytes, keys sorted.
    var bytes: [UInt8] {
        // Only strings, booleans and integers are stored: serialization cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: members, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Array(data)
    }
}
