import Glibc
import SRIOVFrontEnd

/// `sriovctl-full`, the binary with every command, which the lean `sriovctl` `exec`s for
/// every command line it does not serve itself. It is looked for next to the running
/// binary (a build directory, the lab) and then in `../libexec/sriovctl/` from it (the
/// Debian package: /usr/bin/sriovctl and /usr/libexec/sriovctl/sriovctl-full). The running
/// binary is found through /proc/self/exe, so a symlink to it does not move the search.
enum FullBinary {
    /// The file name.
    static let name = "sriovctl-full"

    /// Where it is looked for, in order, for a binary at `executable`.
    static func candidates(forExecutableAt executable: String?) -> [String] {
        guard let executable, let slash = executable.lastIndex(of: "/") else {
            return ["/usr/libexec/sriovctl/\(name)"]
        }
        let directory = String(executable[..<slash])
        return ["\(directory)/\(name)", "\(directory)/../libexec/sriovctl/\(name)"]
    }

    /// Replaces this process with the full binary, with the same arguments and environment
    /// (so the agent keeps its PID under systemd). Returns only by exiting 1 when no full
    /// binary can be run.
    static func exec(_ arguments: [String]) -> Never {
        let candidates = candidates(forExecutableAt: runningExecutable())
        var failures: [String] = []
        for path in candidates {
            guard access(path, X_OK) == 0 else {
                failures.append("\(path): \(String(cString: strerror(errno)))")
                continue
            }
            withCStrings(arguments) { argv in _ = execv(path, argv) }
            failures.append("\(path): \(String(cString: strerror(errno)))")
        }
        printError(ExitStatus.errorPrefix
                   + "cannot run \(name), which serves every command but --version and vf apply (\(failures.joined(separator: "; "))); reinstall sriovctl")
        exit(ExitStatus.failure.rawValue)
    }

    /// The running binary's path, or `nil` without /proc.
    private static func runningExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Calls `body` with `strings` as a NULL-terminated `char *argv[]`.
    private static func withCStrings(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> Void) {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for pointer in pointers { free(pointer) } }
        body(pointers)
    }
}
