/// A plain-text table with left-aligned columns, for terminal output.
public struct TextTable: Sendable {
    /// Column headings.
    public var header: [String]
    /// Rows; short rows are padded with empty cells.
    public var rows: [[String]] = []

    /// Creates a table with headings.
    public init(header: [String]) { self.header = header }

    /// Appends a row.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as text, columns separated by two spaces, no trailing spaces. Control and
    /// bidirectional formatting characters in a cell (a guest name read from libvirt, say)
    /// are shown as `\u{..}`, so a cell can neither drive the terminal nor break the layout.
    public func render() -> String {
        let all = ([header] + rows).map { $0.map { TextRules.escaped($0) } }
        let columns = all.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return all.map { row in
            (0..<columns).map { i in
                let cell = i < row.count ? row[i] : ""
                return i == columns - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
