public import Logging

/// The one logging setup of both binaries: diagnostics go to stderr, at `info` with
/// `--verbose`/`-v` on the command line, else `warning`.
public enum StandardErrorLogging {
    /// The level the command line asks for, read before parsing (logging is bootstrapped
    /// before the command runs).
    public static func requestedLevel(_ arguments: [String] = CommandLine.arguments) -> Logger.Level {
        arguments.contains("--verbose") || arguments.contains("-v") ? .info : .warning
    }

    /// Bootstraps swift-log; call once, first thing in `main`.
    public static func bootstrap() {
        let level = requestedLevel()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
