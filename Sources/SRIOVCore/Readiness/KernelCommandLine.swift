/// The kernel command line (`/proc/cmdline`), split into arguments.
public struct KernelCommandLine: Hashable, Sendable {
    /// The arguments in order (`BOOT_IMAGE=...`, `intel_iommu=on`...).
    public var arguments: [String]

    /// Creates a command line from arguments.
    public init(arguments: [String]) { self.arguments = arguments }

    /// Splits `/proc/cmdline` text on blanks. Double quotes group (`a="b c"`), as the kernel does.
    public init(parsing text: String) {
        var arguments: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle(); current.append(character); continue }
            if !quoted && (character == " " || character == "\t" || character == "\n") {
                if !current.isEmpty { arguments.append(current); current = "" }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { arguments.append(current) }
        self.arguments = arguments
    }

    /// The whole line as text.
    public var text: String { arguments.joined(separator: " ") }

    /// The value of the last `key=value` argument, `""` for a bare `key`, `nil` when absent.
    /// Module parameters match with `-` and `_` treated alike, as the kernel does.
    public func value(of key: String) -> String? {
        let wanted = normalized(key)
        var found: String?
        for argument in arguments {
            let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard normalized(String(parts[0])) == wanted else { continue }
            found = parts.count > 1 ? String(parts[1]).hostFileUnquoted() : ""
        }
        return found
    }

    /// The comma-separated options of `key` (`intel_iommu=on,sm_on` → `on`, `sm_on`).
    public func options(of key: String) -> [String] {
        (value(of: key) ?? "").split(separator: ",").map { String($0) }
    }

    /// Every argument that turns `key` off (`intel_iommu=off`), as written.
    public func argumentsTurningOff(_ key: String) -> [String] {
        arguments.filter { argument in
            let parts = argument.split(separator: "=", maxSplits: 1)
            return parts.count == 2 && normalized(String(parts[0])) == normalized(key)
                && parts[1].split(separator: ",").contains("off")
        }
    }

    /// True when the host IOMMU is put in pass-through (identity) mode: `iommu=pt` or
    /// `iommu.passthrough=1`.
    public var iommuPassthrough: Bool {
        if options(of: "iommu").contains("pt") { return true }
        return value(of: "iommu.passthrough").map(KernelBool.isTrue) ?? false
    }

    private func normalized(_ key: String) -> String { key.hostFileModuleName() }
}

/// How the kernel reads a boolean parameter (`kstrtobool`): `1`, `y`, `Y`, `t`, `T`, `on`.
public enum KernelBool {
    /// True when the kernel would read `text` as yes.
    public static func isTrue(_ text: String) -> Bool {
        let t = text.hostFileTrimmed()
        guard let first = t.first else { return false }
        if "1yYtT".contains(first) { return true }
        return t.lowercased() == "on"
    }
}
