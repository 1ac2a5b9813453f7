/// `/etc/default/grub`, as far as the kernel command line goes.
public struct GrubDefaults: Hashable, Sendable {
    /// The file's path on the host (`/etc/default/grub`), for fix text.
    public var path: String
    /// 1-based line number of the last `GRUB_CMDLINE_LINUX=` assignment, `nil` when none.
    public var cmdlineLine: Int?
    /// Its value without quotes, `""` when absent.
    public var cmdlineValue: String

    /// Creates the record.
    public init(path: String = "/etc/default/grub", cmdlineLine: Int?, cmdlineValue: String) {
        self.path = path
        self.cmdlineLine = cmdlineLine
        self.cmdlineValue = cmdlineValue
    }

    /// Parses the file's text. The last `GRUB_CMDLINE_LINUX=` wins, as in the shell.
    public init(parsing text: String, path: String = "/etc/default/grub") {
        var line: Int?
        var value = ""
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var trimmed = raw.hostFileTrimmed()
            if trimmed.hasPrefix("export ") { trimmed.removeFirst("export ".count) }
            guard trimmed.hasPrefix("GRUB_CMDLINE_LINUX=") else { continue }
            line = number + 1
            value = String(trimmed.dropFirst("GRUB_CMDLINE_LINUX=".count)).hostFileUnquoted()
        }
        self.init(path: path, cmdlineLine: line, cmdlineValue: value)
    }

    /// The `GRUB_CMDLINE_LINUX="..."` line with `remove` taken out and `add` appended
    /// (arguments already present are not repeated).
    public func cmdlineAssignment(adding add: [String], removing remove: [String]) -> String {
        var arguments = KernelCommandLine(parsing: cmdlineValue).arguments.filter { !remove.contains($0) }
        for argument in add where !arguments.contains(argument) { arguments.append(argument) }
        return "GRUB_CMDLINE_LINUX=\"\(arguments.joined(separator: " "))\""
    }
}
