public import FoundationEssentials

/// The one JSON encoding of every `--json` / `--format json` output and every agent answer:
/// sorted keys, indented, slashes unescaped. The CLI prints what this writes; the agent
/// sends it; so both read the same. (FoundationEssentials's encoder: the lean binary links no
/// full Foundation.)
public enum OutputJSON {
    /// `value` as the CLI prints it (no trailing newline).
    public static func render<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// `value` as bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
