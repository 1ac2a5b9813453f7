/// Which characters names and other user text may hold, and how text is shown in messages.
///
/// Names (guests, networks, PFs, profile ids) reach the state database, tables, logs, a
/// terminal and libvirt XML. They refuse every Unicode control character (general category
/// Cc: C0, DEL and the C1 controls U+0080-U+009F, among them U+0085 NEL and U+009B CSI,
/// which a terminal obeys), the bidirectional formatting characters (U+202E and kin, which
/// reorder what a table shows) and the code points XML 1.0 cannot carry at all (U+FFFE,
/// U+FFFF; a Swift string never holds a lone surrogate). Messages show such characters as
/// `\u{9b}`.
public enum TextRules {
    /// True for a Unicode control character (general category Cc: U+0000-U+001F, U+007F-U+009F).
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    /// True for a code point XML 1.0 forbids even as a character reference: C0 controls other
    /// than tab, newline and carriage return, and U+FFFE, U+FFFF. (DEL and C1 are legal XML but
    /// are refused in names as controls.)
    public static func isXMLIllegal(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0a, 0x0d: false
        case 0..<0x20, 0xfffe, 0xffff: true
        default: false
        }
    }

    /// True for a bidirectional formatting character (U+061C, U+200E, U+200F, U+202A-U+202E,
    /// U+2066-U+2069): invisible, it reorders what a table or terminal shows around it, so
    /// `web<U+202E>1bew` could pass for another guest's name.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061c, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069: true
        default: false
        }
    }

    /// True for U+FFFD, the replacement character: what a command-line argument or a file holds
    /// where its bytes were not valid UTF-8. A name holding it is not the name that was typed
    /// (`g\xff` reads as `g\u{fffd}`), so it would match no libvirt guest.
    public static func isReplacement(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == 0xfffd
    }

    /// The first character of `text` a name may not hold (a control character, a
    /// bidirectional formatting character, an XML-illegal code point or the replacement
    /// character of bytes that were not UTF-8), or `nil`.
    public static func firstForbiddenInName(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { isControl($0) || isXMLIllegal($0) || isBidiControl($0) || isReplacement($0) }
    }

    /// Refuses an empty name or one holding a control character or an XML-illegal code point:
    /// `guest name 'web\u{9b}1' contains a control character (U+009B)`.
    public static func validateName(_ text: String, what: String) throws(SRIOVError) {
        if text.isEmpty { throw SRIOVError(.invalidValue, "the \(what) is empty") }
        if let bad = firstForbiddenInName(text) {
            throw SRIOVError(.invalidValue, "\(what) '\(escaped(text))' contains \(kind(of: bad)) (\(codePoint(bad)))")
        }
    }

    /// `a control character`, `a bidirectional formatting character` or `a character XML
    /// cannot hold`: what is wrong with a character ``firstForbiddenInName(_:)`` found.
    public static func kind(of scalar: Unicode.Scalar) -> String {
        isControl(scalar) ? "a control character"
            : isBidiControl(scalar) ? "a bidirectional formatting character"
            : isReplacement(scalar) ? "bytes that are not valid UTF-8" : "a character XML cannot hold"
    }

    /// `U+009B`.
    public static func codePoint(_ scalar: Unicode.Scalar) -> String {
        "U+" + hex(scalar.value, 4).uppercased()
    }

    /// The most characters of a user's value that ``escaped(_:keepingLineBreaks:)`` quotes in a
    /// message: enough for any path or name, while a 100 MB value on one `vf apply` line gives a
    /// one-line error, not a 100 MB one.
    public static let quotedLengthLimit = 256

    /// `text` with control characters, bidirectional formatting characters and XML-illegal
    /// code points shown as `\u{..}`, so a
    /// message never carries them raw to a terminal or a log. A value longer than
    /// ``quotedLengthLimit`` characters is cut there, with `…` and its length in bytes. With
    /// `keepingLineBreaks`, newline and tab stay as they are and nothing is cut (for a whole
    /// multi-line message such as usage text).
    public static func escaped(_ text: String, keepingLineBreaks: Bool = false) -> String {
        var out = ""
        var shown = text.unicodeScalars[...]
        let cut = !keepingLineBreaks && shown.count > quotedLengthLimit
        if cut { shown = shown.prefix(quotedLengthLimit) }
        for scalar in shown {
            if keepingLineBreaks && (scalar == "\n" || scalar == "\t") {
                out.unicodeScalars.append(scalar)
            } else if isControl(scalar) || isXMLIllegal(scalar) || isBidiControl(scalar) {
                out += "\\u{\(hex(scalar.value, 2))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        if cut { out += "… (\(text.utf8.count) bytes)" }
        return out
    }
}
