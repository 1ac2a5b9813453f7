extension StringProtocol {
    /// The text without leading and trailing white space and line breaks (what
    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)` does, for the files
    /// that import only FoundationEssentials).
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
