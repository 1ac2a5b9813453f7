import ArgumentParser
import SRIOVFrontEnd

extension ExitStatus {
    /// The code to exit with, as ArgumentParser throws it.
    var code: ExitCode { ExitCode(rawValue) }
}
