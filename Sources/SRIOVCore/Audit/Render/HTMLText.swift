/// Escaping for text placed in HTML, in element content and in quoted attribute values.
///
/// Everything that comes from the database, the kernel or libvirt (guest and network names,
/// messages, interface names) goes through ``escape(_:)`` before it reaches the page.
enum HTMLText {
    /// `&`, `<`, `>`, `"` and `'` replaced by entities; safe in content and quoted attributes.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
