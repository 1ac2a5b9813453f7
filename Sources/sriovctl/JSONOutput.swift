import SRIOVFrontEnd

/// Writes a value as the stable, documented JSON of a `--json` flag: sorted keys, indented
/// (``OutputJSON``, the encoding the agent's API answers in too).
enum JSONOutput {
    static func render<T: Encodable>(_ value: T) throws -> String {
        try OutputJSON.render(value)
    }

    static func print<T: Encodable>(_ value: T) throws {
        Swift.print(try render(value))
    }
}
