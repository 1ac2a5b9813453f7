public import Foundation
public import SRIOVLinux
public import SRIOVLinuxPrograms

/// Runs a program for a test (xmllint, ip, git, the built `sriovctl`...) with an argument
/// array, never through a shell, without holding one of the test pool's threads while the
/// child runs (see ``BlockingWork``).
public enum ChildProcess {
    /// The outcome of one run: exit status, standard output and standard error.
    public typealias Result = ProgramRunner.Result

    /// Runs `program` with `arguments` and suspends until it ends. `environment` replaces
    /// the child's environment when given; `stdin` is written to its standard input (else
    /// it reads /dev/null). Throws only when the program cannot be started.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           stdin: String? = nil) async throws -> Result {
        try await BlockingWork.run {
            try ProgramRunner.run(program, arguments, environment: environment, stdin: stdin)
        }
    }
}
