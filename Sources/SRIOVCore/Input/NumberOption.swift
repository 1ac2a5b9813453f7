/// A number typed on the command line or in a `vf apply` line, read with the core's one
/// bounded parser (``NumberField/parse(_:)``) so `+100`, `0x64` and `4294967296` are refused
/// where they are typed, with the option or key named: `maximum rate 4294967296 Mbps is out of
/// range (0-4294967295 Mbps; the kernel's rate fields are 32-bit) (from --max-rate)`.
public enum NumberOption {
    /// `text` parsed as `field`, `nil` when absent; errors start with `place` (`eth3 VF 2: `
    /// or empty) and end with where the text came from (`--max-rate`, `"maxRate"`).
    /// `option` and `place` are put into words only for an error.
    public static func parse(_ text: String?, _ field: NumberField, from option: @autoclosure () -> String,
                      place: @autoclosure () -> String = "") throws(SRIOVError) -> Int? {
        guard let text else { return nil }
        return try parseRequired(text, field, from: option(), place: place())
    }

    /// A required number (text that is always given): parsed and worded as above.
    public static func parseRequired(_ text: String, _ field: NumberField, from option: @autoclosure () -> String,
                      place: @autoclosure () -> String = "") throws(SRIOVError) -> Int {
        do {
            return try field.parse(text)
        } catch {
            throw SRIOVError("\(place())\(error.message) (from \(option()))", causedBy: error)
        }
    }
}
