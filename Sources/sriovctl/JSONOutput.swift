import SRIOVAgentAPI
import SystemPackage

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

/// Writes a line to stderr (unbuffered, all of it: `writeAll` retries short writes and EINTR).
func printError(_ text: String) {
    _ = try? FileDescriptor.standardError.writeAll((text + "\n").utf8)
}
