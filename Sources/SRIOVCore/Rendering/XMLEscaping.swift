/// Escaping of text placed inside XML attribute values and element content.
///
/// Every value sriovctl writes into libvirt XML goes through ``attribute(_:)``, even values
/// that were validated first: escaping is the second line of defence, validation the first.
/// XML 1.0 cannot carry most C0 control characters or U+FFFE/U+FFFF at all (not even as
/// `&#1;`), so callers refuse them before rendering (``firstUnsafeCharacter(in:)`` finds
/// them, ``TextRules`` words the refusal). Should one get through anyway, ``attribute(_:)``
/// replaces it with U+FFFD so the document stays well-formed: it never emits XML that a
/// parser rejects.
public enum XMLEscaping {
    /// `value` with `&`, `<`, `>`, `'` and `"` replaced by entity references, and tab, newline
    /// and carriage return by character references (so attribute-value normalization keeps them).
    ///
    /// Safe inside single- or double-quoted attributes and element text. Code points XML 1.0
    /// cannot hold (C0 controls other than tab, newline and carriage return; U+FFFE; U+FFFF)
    /// become U+FFFD, the replacement character: the result is always well-formed.
    public static func attribute(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "'": out += "&apos;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case _ where TextRules.isXMLIllegal(scalar): out.unicodeScalars.append("\u{FFFD}")
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The first character of `value` that is an XML metacharacter (`& < > ' "`), a control
    /// character (C0, DEL, C1) or a code point XML cannot hold (U+FFFE, U+FFFF), or `nil`.
    ///
    /// Used by validation to refuse such values outright with a message naming the character.
    public static func firstUnsafeCharacter(in value: String) -> Unicode.Scalar? {
        value.unicodeScalars.first { isMetacharacter($0) || isControl($0) || TextRules.isXMLIllegal($0) }
    }

    /// True when `value` holds an XML metacharacter or a control character.
    public static func containsXMLUnsafeCharacter(_ value: String) -> Bool {
        firstUnsafeCharacter(in: value) != nil
    }

    /// How a character is named in an error message: `'<'`, or `U+000A` for invisible ones.
    public static func describe(_ scalar: Unicode.Scalar) -> String {
        if isControl(scalar) || TextRules.isXMLIllegal(scalar) || scalar == " " {
            return TextRules.codePoint(scalar)
        }
        return "'\(Character(scalar))'"
    }

    static func isMetacharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "&", "<", ">", "'", "\"": return true
        default: return false
        }
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        TextRules.isControl(scalar)
    }
}
