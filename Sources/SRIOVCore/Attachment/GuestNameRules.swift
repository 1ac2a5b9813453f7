/// Checks on names that end up in libvirt XML, Xen config and the state database:
/// guest (domain) names, 802.1Qbh profile ids and UUIDs.
///
/// Names are checked, never escaped into something else: a guest name is the key of its
/// leases, so `web<1>` is refused with a clear message instead of being stored altered.
public enum GuestNameRules {
    /// Characters refused in names: XML metacharacters and the path separator.
    static let forbidden: Set<Character> = ["<", ">", "&", "'", "\"", "/"]

    /// Checks a libvirt domain name: not empty, at most 251 bytes, no control characters
    /// (Unicode Cc, C1 included), no bidirectional formatting characters, no U+FFFE/U+FFFF,
    /// no `/`, no XML metacharacters `< > & ' "`.
    public static func validateGuestName(_ name: String) throws(SRIOVError) {
        try validate(name, what: "guest name")
    }

    /// Checks a network name as typed (`--network`): not empty, no control characters, no
    /// U+FFFE/U+FFFF. (The config's own rule is stricter: letters, digits, `-`, `_`, `.`.)
    public static func validateNetworkName(_ name: String) throws(SRIOVError) {
        try TextRules.validateName(name, what: "network name")
    }

    /// Checks an 802.1Qbh port profile id with the renderer's rule
    /// (``LibvirtInterfaceXML/validateProfileID(_:subject:)``): 1...39 bytes, no XML
    /// metacharacters, no control characters, no U+FFFE/U+FFFF.
    public static func validateProfileID(_ profile: String) throws(SRIOVError) {
        try LibvirtInterfaceXML.validateProfileID(profile, subject: "--profile")
    }

    /// Parses a UUID (`8-4-4-4-12` hex digits, or 32 hex digits) into lower-case dashed form.
    public static func normalizedUUID(_ text: String) throws(SRIOVError) -> String {
        let hexDigits = text.filter { $0 != "-" }
        let dashed = text.count == 36 && [8, 13, 18, 23].allSatisfy {
            text[text.index(text.startIndex, offsetBy: $0)] == "-"
        }
        guard (dashed || text.count == 32), hexDigits.count == 32,
              hexDigits.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw SRIOVError(.invalidValue,
                             "'\(printable(text))' is not a UUID (expected 8-4-4-4-12 hexadecimal digits)")
        }
        let h = Array(hexDigits.lowercased())
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(h[$0]) }.joined(separator: "-")
    }

    /// The longest guest name, in UTF-8 bytes: libvirt keeps a domain's definition in
    /// `NAME.xml`, and a file name holds at most 255 bytes.
    public static let maxGuestNameBytes = 251

    private static func validate(_ text: String, what: String) throws(SRIOVError) {
        try TextRules.validateName(text, what: what)
        if text.utf8.count > maxGuestNameBytes {
            throw SRIOVError(.invalidValue, "\(what) '\(text.prefix(40))…' is \(text.utf8.count) bytes long; libvirt "
                             + "accepts at most \(maxGuestNameBytes) (it keeps each guest in NAME.xml)")
        }
        if let bad = text.first(where: { forbidden.contains($0) }) {
            throw SRIOVError(.invalidValue, "\(what) '\(text)' contains '\(bad)'; "
                             + "names may not contain / < > & ' or \"")
        }
    }

    /// `text` with control characters and XML-illegal code points shown as `\u{..}`, for messages.
    static func printable(_ text: String) -> String {
        TextRules.escaped(text)
    }
}
