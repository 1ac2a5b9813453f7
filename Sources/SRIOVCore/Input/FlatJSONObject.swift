/// One flat JSON object (`{"vf": 3, "mac": "02:..", "trust": true}`) parsed straight from
/// UTF-8: string, integer, boolean and null values only; nested objects, arrays and
/// fractions are errors. Integers are kept as the text written, so the reader of each key
/// bounds them with the core's one number parser (``NumberField``).
///
/// Why not `JSONDecoder` (measured, docs/benchmarks.md "vf apply lines"): on 700 bench lines
/// this parser runs 10.9 M instructions against JSONDecoder's 41 M (256 lines: 4.1 M against
/// 15.4 M), and a whole 256-VF `vf apply` start costs ~15 M; and on Linux JSONDecoder keeps
/// the first of two equal keys silently, reads `1e2` and `1.0` as integers, and says only
/// "The given data was not valid JSON" (no position, no key) for a syntax error.
struct FlatJSONObject {
    /// A value.
    enum Value: Equatable {
        case string(String)
        /// A JSON integer as written (`3`, `-1`), not yet read as a number.
        case integer(String)
        case bool(Bool)
        case null
    }

    /// A parse failure, in words.
    struct Failure: Error {
        var message: String
    }

    /// Keys and values in the order written. A line has a handful, so a linear search is
    /// cheaper than hashing every key into a dictionary (which was a third of parsing).
    private(set) var entries: [(key: String, value: Value)] = []

    /// The value of `key`, `nil` when absent.
    subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }

    /// Parses `text`, which must hold exactly one object.
    init(parsing line: ArraySlice<UInt8>) throws(Failure) {
        var reader = Reader(bytes: line, index: line.startIndex)
        reader.skipSpace()
        try reader.expect(UInt8(ascii: "{"))
        reader.skipSpace()
        if reader.peek == UInt8(ascii: "}") {
            reader.index += 1
        } else {
            while true {
                reader.skipSpace()
                let key = try reader.string()
                if self[key] != nil { throw Failure(message: "key \"\(TextRules.escaped(key))\" appears twice") }
                reader.skipSpace()
                try reader.expect(UInt8(ascii: ":"))
                reader.skipSpace()
                entries.append((key, try reader.value(for: key)))
                reader.skipSpace()
                if reader.peek == UInt8(ascii: ",") { reader.index += 1; continue }
                try reader.expect(UInt8(ascii: "}"))
                break
            }
        }
        reader.skipSpace()
        if reader.index < reader.bytes.endIndex { throw Failure(message: "text after the object") }
    }

    private struct Reader {
        /// The line (indices are the whole input's).
        let bytes: ArraySlice<UInt8>
        var index: Int

        var peek: UInt8? { index < bytes.endIndex ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0a || byte == 0x0d { index += 1 }
        }

        mutating func expect(_ byte: UInt8) throws(Failure) {
            guard peek == byte else {
                let found = peek.map { $0 < 0x80 ? "'\(TextRules.escaped(String(Character(Unicode.Scalar($0)))))'" : "byte 0x\(String($0, radix: 16))" }
                    ?? "the end of the line"
                throw Failure(message: "not a JSON object: expected '\(Character(Unicode.Scalar(byte)))', found \(found)")
            }
            index += 1
        }

        mutating func value(for key: String) throws(Failure) -> Value {
            switch peek {
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try word("true"); return .bool(true)
            case UInt8(ascii: "f"): try word("false"); return .bool(false)
            case UInt8(ascii: "n"): try word("null"); return .null
            case let byte? where byte == UInt8(ascii: "-") || (0x30...0x39).contains(byte): return .integer(try integer(for: key))
            default: throw Failure(message: "\"\(TextRules.escaped(key))\" must be a string, an integer, true, false or null")
            }
        }

        mutating func word(_ text: String) throws(Failure) {
            for byte in text.utf8 { try expect(byte) }
        }

        mutating func integer(for key: String) throws(Failure) -> String {
            let start = index
            if peek == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while let byte = peek, (0x30...0x39).contains(byte) { index += 1 }
            if let byte = peek, byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                throw Failure(message: "\"\(TextRules.escaped(key))\" must be a whole number")
            }
            guard index > digits else { throw Failure(message: "\"\(TextRules.escaped(key))\" is not a number") }
            if index - digits > 1 && bytes[digits] == UInt8(ascii: "0") {
                throw Failure(message: "\"\(TextRules.escaped(key))\" is not a JSON number (a leading zero)")
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }

        mutating func string() throws(Failure) -> String {
            try expect(UInt8(ascii: "\""))
            // Most strings (MACs, link states) have no escape: decoded straight from the line.
            let start = index
            while let byte = peek, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte >= 0x20 { index += 1 }
            if peek == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: bytes[start..<(index - 1)], as: UTF8.self)
            }
            var utf8 = Array(bytes[start..<index])
            while let byte = peek {
                if byte == UInt8(ascii: "\"") {
                    index += 1
                    return String(decoding: utf8, as: UTF8.self)
                }
                if byte < 0x20 { throw Failure(message: "control character in a string") }
                index += 1
                if byte != UInt8(ascii: "\\") { utf8.append(byte); continue }
                guard let escaped = peek else { break }
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0c)
                case UInt8(ascii: "n"): utf8.append(0x0a)
                case UInt8(ascii: "r"): utf8.append(0x0d)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"): UTF8.encode(try escapedScalar()) { utf8.append($0) }
                default: throw Failure(message: "bad escape in a string")
                }
            }
            throw Failure(message: "unterminated string")
        }

        /// The character of a `\\uXXXX` escape (the `\\u` already read): one code unit, or a
        /// UTF-16 surrogate pair written as two escapes (`\\ud83d\\ude00`), as RFC 8259 says.
        /// A lone surrogate is no character and is refused.
        mutating func escapedScalar() throws(Failure) -> Unicode.Scalar {
            let high = try hexCodeUnit()
            if let scalar = Unicode.Scalar(high) { return scalar }
            guard (0xD800...0xDBFF).contains(high), has("\\u") else {
                throw Failure(message: "bad \\u escape in a string (a lone UTF-16 surrogate)")
            }
            index += 2
            let low = try hexCodeUnit()
            guard (0xDC00...0xDFFF).contains(low),
                  let scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) else {
                throw Failure(message: "bad \\u escape in a string (a lone UTF-16 surrogate)")
            }
            return scalar
        }

        /// Four hex digits (nothing else: no sign), read as one UTF-16 code unit.
        mutating func hexCodeUnit() throws(Failure) -> UInt32 {
            guard index + 4 <= bytes.endIndex else { throw Failure(message: "bad \\u escape in a string") }
            var value: UInt32 = 0
            for byte in bytes[index..<(index + 4)] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: throw Failure(message: "bad \\u escape in a string")
                }
                value = value << 4 | UInt32(digit)
            }
            index += 4
            return value
        }

        /// Whether the bytes at the reading position are `text`.
        func has(_ text: String) -> Bool {
            let pattern = Array(text.utf8)
            return index + pattern.count <= bytes.endIndex && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
        }
    }
}
