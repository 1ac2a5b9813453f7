/// The command lines the lean `sriovctl` binary serves itself, read without ArgumentParser:
/// `sriovctl --version` and `sriovctl vf apply PF [--file F] [--json]` with the global options.
///
/// Why by hand: ArgumentParser reflects over the whole command tree at every start (about 10 M
/// instructions of Swift conformance lookups, two thirds of a `--version`), and the lean binary
/// exists to start in about the time of iproute2's `ip` (docs/benchmarks.md, "Two binaries").
///
/// It reads only plain, complete forms and says `nil` for anything else (`--help`, an unknown
/// or repeated option, a missing or empty value, a value starting with `-`, `--`), and the
/// full binary, on ArgumentParser, then reads the same arguments: so every help text, usage
/// error and exit code is ArgumentParser's. `LeanCommandLineTests` holds every form read here
/// to what ArgumentParser makes of it.
public enum LeanCommandLine: Equatable, Sendable {
    /// `sriovctl --version`.
    case version
    /// `sriovctl vf apply ...`.
    case vfApply(VFApplyArguments)

    /// `vf apply`'s arguments, global options included.
    public struct VFApplyArguments: Equatable, Sendable {
        /// The PF as typed.
        public var pf: String
        /// `--file` (`-`: standard input).
        public var file = "-"
        /// `--json`.
        public var json = false
        /// `--sysfs-root`.
        public var sysfsRoot = "/sys"

        /// Arguments with these values.
        public init(pf: String, file: String = "-", json: Bool = false, sysfsRoot: String = "/sys") {
            self.pf = pf
            self.file = file
            self.json = json
            self.sysfsRoot = sysfsRoot
        }

        /// The command's run.
        public var run: VFApplyRun { VFApplyRun(pf: pf, file: file, json: json) }
    }

    /// Options that take a value, for `vf apply`. `--db`, `--config-file`, `--agent-socket` and
    /// `--direct` are accepted as every command accepts them, and `vf apply` uses none of them;
    /// `--verbose` sets the log level (``StandardErrorLogging``, read before any parsing).
    private static let valueOptions = ["--file", "--sysfs-root", "--db", "--config-file", "--agent-socket"]
    /// Flags, for `vf apply`.
    private static let flags = ["--json", "--direct", "--verbose", "-v"]

    /// What `arguments` (without the program name) ask for, or `nil` when the full binary must
    /// read them.
    public init?(_ arguments: [String]) {
        if arguments == ["--version"] {
            self = .version
            return
        }
        guard arguments.count >= 3, arguments[0] == "vf", arguments[1] == "apply",
              let parsed = Self.vfApply(arguments.dropFirst(2)) else { return nil }
        self = .vfApply(parsed)
    }

    private static func vfApply(_ tokens: ArraySlice<String>) -> VFApplyArguments? {
        var pf: String?
        var values: [(name: String, value: String)] = []
        // Arrays, not sets: the first use of a Set<String> costs more (Swift runtime type
        // lookups) than this whole parse.
        var flagsSeen: [String] = []
        var rest = tokens[...]
        while let token = rest.popFirst() {
            if !token.hasPrefix("-") {
                guard pf == nil, !token.isEmpty else { return nil }
                pf = token
                continue
            }
            if flags.contains(token) {
                // `-v` and `--verbose` are one flag.
                let name = token == "-v" ? "--verbose" : token
                guard !flagsSeen.contains(name) else { return nil }
                flagsSeen.append(name)
                continue
            }
            let name: String
            let value: String
            if let equals = token.firstIndex(of: "=") {
                name = String(token[..<equals])
                value = String(token[token.index(after: equals)...])
            } else {
                name = token
                guard let next = rest.popFirst() else { return nil }
                value = next
            }
            guard valueOptions.contains(name), !values.contains(where: { $0.name == name }),
                  !value.isEmpty, !value.hasPrefix("-") else { return nil }
            values.append((name, value))
        }
        guard let pf else { return nil }
        let value = { (name: String) in values.first { $0.name == name }?.value }
        return VFApplyArguments(pf: pf, file: value("--file") ?? "-", json: flagsSeen.contains("--json"),
                                sysfsRoot: value("--sysfs-root") ?? "/sys")
    }
}
