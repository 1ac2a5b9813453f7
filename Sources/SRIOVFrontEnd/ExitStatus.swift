public import SRIOVCore

/// The one exit-code table of every sriovctl command (docs/exit-codes.md, held to this
/// enum by `ExitStatusTests`). Both binaries exit with these.
public enum ExitStatus: Int32, CaseIterable {
    /// Done, or nothing to do; `audit`: no finding at or above `--fail-on`; `doctor`: every
    /// check passes.
    case success = 0
    /// The command failed or refused, and said why on stderr after the ``errorPrefix``
    /// (bad input, a missing lease, a kernel refusal; `provision`: anything failed);
    /// `audit`: a finding at or above `--fail-on`; `doctor`: the worst check is a warning.
    case failure = 1
    /// `audit`: the audit could not be made (unreadable database, bad `--merge` report,
    /// refused `--output`, options that do not go together); `doctor`: a check fails, or
    /// the host could not be read.
    case notChecked = 2
    /// The command line itself is wrong (unknown option, bad value for a switch, a missing
    /// argument): ArgumentParser's usage error, EX_USAGE.
    case usage = 64

    /// The one prefix of an error message on stderr.
    public static let errorPrefix = "sriovctl: "

    /// Prints `error` on stderr after the ``errorPrefix``.
    public static func report(_ error: SRIOVError) {
        printError(errorPrefix + error.message)
    }
}
