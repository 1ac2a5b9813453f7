/// Small text helpers for the host files the readiness rules parse (`/proc`, `/etc`).
/// Prefixed names keep them clear of other files' extensions in this module.

extension Substring {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func hostFileTrimmed() -> String {
        var s = self[...]
        while let first = s.first, first == " " || first == "\t" || first == "\r" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func hostFileTrimmed() -> String { self[...].hostFileTrimmed() }

    /// Without one pair of surrounding double or single quotes (shell-style values).
    func hostFileUnquoted() -> String {
        guard count >= 2, let first, let last, first == last, first == "\"" || first == "'" else { return self }
        return String(dropFirst().dropLast())
    }

    /// A kernel module or parameter name with `-` read as `_`, as modprobe and the kernel do.
    func hostFileModuleName() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
