/// Markup refused before the domain XML is parsed: what libvirt never writes and what would
/// let a guest's owner change how the document is read.
///
/// The scan began as a guard for Foundation's XMLParser on Linux, which called `strlen` on a
/// processing instruction's data that libxml2 passes as NULL for an instruction without data
/// (`<?name?>`): the process died with SIGSEGV (found by `make fuzz`, docs/fuzzing.md).
/// sriovctl now reads the XML with libxml2 directly, which has no such crash, and keeps the
/// scan as a filter for untrusted input: no DOCTYPE means no entity can be declared (internal
/// or external), and no NUL and no declared encoding other than UTF-8 means libxml2 reads the
/// same UTF-8 bytes as this scan. The scan is deliberately blunt and ignores context
/// (comments, CDATA, quotes): a document with a NUL, a `<!DOCTYPE`, an XML declaration naming
/// an encoding other than UTF-8, or `<?name?>` anywhere is refused.
enum XMLParserHazards {
    /// The first hazard in `xml`: its line and what it is; `nil` when there is none.
    static func first(in xml: String) -> (line: Int, problem: String)? {
        let bytes = Array(xml.utf8)
        func line(_ index: Int) -> Int { 1 + bytes[..<index].count { $0 == UInt8(ascii: "\n") } }
        var found: (index: Int, problem: String)?
        func note(_ index: Int, _ problem: String) {
            if found == nil || index < found!.index { found = (index, problem) }
        }
        if let nul = bytes.firstIndex(of: 0) { note(nul, "a NUL character") }
        if let doctype = find("<!DOCTYPE", in: bytes, from: 0) {
            note(doctype, "a DOCTYPE declaration (libvirt never writes one)")
        }
        var start = 0
        while let open = find("<?", in: bytes, from: start), found == nil || open < found!.index {
            var targetEnd = open + 2
            while targetEnd < bytes.count, !isBlank(bytes[targetEnd]), bytes[targetEnd] != UInt8(ascii: "?") {
                targetEnd += 1
            }
            let target = bytes[(open + 2)..<targetEnd]
            if !target.isEmpty && has("?>", in: bytes, at: targetEnd) {
                note(open, "a processing instruction without data (<?\(String(decoding: target, as: UTF8.self))?>)")
            } else if target.elementsEqual("xml".utf8) {
                // libxml2 switches encoding as soon as it reads the declaration's encoding.
                let end = find("?>", in: bytes, from: targetEnd) ?? bytes.count
                if let encoding = encodings(in: Array(bytes[targetEnd..<end])).first(where: {
                    !["utf-8", "utf8"].contains($0.lowercased())
                }) {
                    note(open, "the encoding '\(encoding)' (only UTF-8 is read)")
                }
            }
            start = open + 2
        }
        return found.map { (line($0.index), $0.problem) }
    }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d
    }

    private static func has(_ text: String, in bytes: [UInt8], at index: Int) -> Bool {
        let pattern = Array(text.utf8)
        return index + pattern.count <= bytes.count && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    private static func find(_ text: String, in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if has(text, in: bytes, at: index) { return index }
            index += 1
        }
        return nil
    }

    /// Every quoted value after an `encoding` (blanks and `=` between) in a declaration's text.
    private static func encodings(in text: [UInt8]) -> [String] {
        var values: [String] = []
        var start = 0
        while let at = find("encoding", in: text, from: start) {
            var index = at + "encoding".utf8.count
            start = index
            while index < text.count, isBlank(text[index]) || text[index] == UInt8(ascii: "=") { index += 1 }
            guard index < text.count, text[index] == UInt8(ascii: "'") || text[index] == UInt8(ascii: "\"") else {
                continue
            }
            let quote = text[index]
            let end = text[(index + 1)...].firstIndex(of: quote) ?? text.count
            values.append(String(decoding: text[(index + 1)..<end], as: UTF8.self))
        }
        return values
    }
}
