import Foundation
import SRIOVAgentAPI

/// Writes a value as the stable, documented JSON of a `--json` flag: sorted keys, indented
/// (``AgentJSON``, the encoding the agent's API answers in too).
enum JSONOutput {
    static func render<T: Encodable>(_ value: T) throws -> String {
        try AgentJSON.render(value)
    }

    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try render(value))
    }
}

/// Writes a line to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
