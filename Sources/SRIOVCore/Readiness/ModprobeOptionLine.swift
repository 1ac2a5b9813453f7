/// One `options MODULE param=value` line in a modprobe.d file.
public struct ModprobeOptionLine: Hashable, Sendable {
    /// The file as read.
    public var path: String
    /// 1-based line number.
    public var line: Int
    /// The line as written.
    public var text: String

    /// Creates a record.
    public init(path: String, line: Int, text: String) {
        self.path = path
        self.line = line
        self.text = text
    }

    /// The lines of a modprobe.d file that set `parameter` of `module` to a true value
    /// (`options vfio_iommu_type1 allow_unsafe_interrupts=1`). Module names match with
    /// `-` and `_` alike; comments are ignored.
    public static func find(module: String, parameter: String, in text: String, path: String) -> [ModprobeOptionLine] {
        let wantedModule = module.hostFileModuleName()
        var found: [ModprobeOptionLine] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let words = content.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.count >= 3, words[0] == "options", words[1].hostFileModuleName() == wantedModule else { continue }
            let sets = words.dropFirst(2).contains { word in
                let parts = word.split(separator: "=", maxSplits: 1)
                return parts.count == 2 && String(parts[0]).hostFileModuleName() == parameter.hostFileModuleName()
                    && KernelBool.isTrue(String(parts[1]).hostFileUnquoted())
            }
            if sets { found.append(ModprobeOptionLine(path: path, line: number + 1, text: raw.hostFileTrimmed())) }
        }
        return found
    }
}
