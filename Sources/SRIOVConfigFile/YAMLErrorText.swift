public import SRIOVCore
import Yams

/// Yams' own errors (`YamlError`) as `file:line:column: key: problem`.
///
/// Yams reports syntax errors with a mark but prints the whole document after it, reader
/// errors (control characters, bad UTF-8) with a character offset only, and duplicate keys
/// with the mark of the *first* occurrence and the whole document as "context". This turns
/// each into one line naming the file, line, column and, where it can be found, the key.
enum YAMLErrorText {
    /// One line for `error` found in `text` (the whole config) of `file`.
    static func describe(_ error: YamlError, text: String, file: String) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let near = key(onLine: mark.line, of: text).map { " near key '\(TextRules.escaped($0))'" } ?? ""
            let during = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return "\(file):\(mark.line):\(mark.column): YAML syntax error\(near): \(problem)\(during)"
        case .reader(let problem, let offset, let value, _):
            let (line, column) = offset.map { position(ofCharacter: $0, in: text) } ?? (0, 0)
            let near = key(onLine: line, of: text).map { " in key '\(TextRules.escaped($0))'" } ?? ""
            let codePoint = value >= 0 ? Unicode.Scalar(UInt32(value)).map { " (\(TextRules.codePoint($0)))" } ?? "" : ""
            return "\(file):\(line):\(column): the config text cannot be read\(near): \(problem)\(codePoint)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return duplicateKey(duplicates.first ?? "(unnamed key)", first: context.mark, text: text, file: file)
        default:
            return "\(file): YAML error: \(TextRules.escaped(String(describing: error)))"
        }
    }

    // MARK: Duplicate keys

    /// `file:line:column: path: key 'k' appears twice (first at line N)`, pointing at the
    /// second occurrence.
    private static func duplicateKey(_ key: String, first: Mark, text: String, file: String) -> String {
        let shownKey = TextRules.escaped(key)
        guard let second = secondOccurrence(of: key, after: first, in: text) else {
            return "\(file):\(first.line):\(first.column): key '\(shownKey)' appears twice in one mapping"
        }
        let path = keyPath(at: second, renaming: key, in: text).map { "\($0): " } ?? ""
        return "\(file):\(second.line):\(second.column): \(path)key '\(shownKey)' appears twice (first at line \(first.line))"
    }

    /// Where `key` is written again as a key at the first occurrence's column (block mapping)
    /// or later on its line (flow mapping).
    private static func secondOccurrence(of key: String, after first: Mark, in text: String) -> Place? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let keyScalars = Array(key.unicodeScalars)
        func isKey(_ line: [Unicode.Scalar], at start: Int) -> Bool {
            guard start >= 0, start + keyScalars.count <= line.count,
                  Array(line[start..<(start + keyScalars.count)]) == keyScalars else { return false }
            var rest = line[(start + keyScalars.count)...].drop { $0 == " " }
            guard rest.first == ":" else { return false }
            rest = rest.dropFirst()
            return rest.isEmpty || rest.first == " " || rest.first == "\t"
        }
        let firstIndex = first.line - 1
        guard firstIndex >= 0, firstIndex < lines.count else { return nil }
        let line = lines[firstIndex]
        var column = first.column - 1 + keyScalars.count
        while column < line.count {
            if isKey(line, at: column) && (column == 0 || " {,".unicodeScalars.contains(line[column - 1])) {
                return Place(line: first.line, column: column + 1)
            }
            column += 1
        }
        for index in (firstIndex + 1)..<lines.count where isKey(lines[index], at: first.column - 1) {
            return Place(line: index + 1, column: first.column)
        }
        return nil
    }

    /// The key path (`pfs[0].vf_defaults.vlan`) of the key at `mark`: the text is composed
    /// again with that occurrence renamed, and the tree searched for it.
    private static func keyPath(at mark: Place, renaming key: String, in text: String) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        let start = mark.column - 1
        let count = key.unicodeScalars.count
        guard mark.line - 1 < lines.count, start + count <= lines[mark.line - 1].count else { return nil }
        lines[mark.line - 1].replaceSubrange(start..<(start + count), with: "sriovctl-duplicate-key".unicodeScalars)
        let renamed = lines.map { String(String.UnicodeScalarView($0)) }.joined(separator: "\n")
        guard let root = try? Yams.compose(yaml: renamed) else { return nil }
        // Aliases can make the tree exponentially large (a "billion laughs" document): look at
        // no more than 100,000 nodes, then give the message without a key path.
        var budget = 100_000
        return find(mark, in: root, path: "", budget: &budget).map { found in
            let parent = found.dropLast("sriovctl-duplicate-key".count)
            return parent + TextRules.escaped(key)
        }
    }

    private static func find(_ mark: Place, in node: Node, path: String, budget: inout Int) -> String? {
        budget -= 1
        guard budget > 0 else { return nil }
        switch node {
        case .mapping(let mapping):
            for (keyNode, value) in mapping {
                let name = keyNode.string ?? "(non-text key)"
                let childPath = path.isEmpty ? name : "\(path).\(name)"
                if let keyMark = keyNode.mark, keyMark.line == mark.line, keyMark.column == mark.column {
                    return childPath
                }
                if let found = find(mark, in: value, path: childPath, budget: &budget) { return found }
                if budget <= 0 { return nil }
            }
        case .sequence(let sequence):
            for (index, item) in sequence.enumerated() {
                if let found = find(mark, in: item, path: "\(path)[\(index)]", budget: &budget) { return found }
                if budget <= 0 { return nil }
            }
        default:
            break
        }
        return nil
    }

    // MARK: Places in the text

    /// A line and column, from 1.
    private struct Place {
        var line: Int
        var column: Int
    }

    /// Line and column (from 1) of the character at `offset` (Yams counts characters).
    private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character == "\n" || character == "\r\n" { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }

    /// The key written on line `number` (`  - netdev: eth0` → `netdev`), if the line has one.
    private static func key(onLine number: Int, of text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard number >= 1, number <= lines.count else { return nil }
        var line = lines[number - 1].drop { $0 == " " || $0 == "\t" }
        if line.hasPrefix("- ") { line = line.dropFirst(2).drop { $0 == " " } }
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon].trimmingTrailingSpaces
        guard !key.isEmpty, !key.contains(where: { "{}[],#\"'".contains($0) }) else { return nil }
        return String(key)
    }
}

private extension Substring {
    var trimmingTrailingSpaces: Substring {
        var result = self
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
