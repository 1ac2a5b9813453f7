import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVCore
import SRIOVFrontEnd

StandardErrorLogging.bootstrap()

// As `SriovctlCommand.main()`, except that ArgumentParser's own messages (which quote the
// argument as typed: `The value 'x' is invalid for '--trust'`) are printed with control
// characters escaped, so a C1 CSI (U+009B) in an argument cannot drive the terminal.
do {
    var command = try SriovctlCommand.parseAsRoot()
    try command.run()
} catch {
    let code = SriovctlCommand.exitCode(for: error)
    let message = SriovctlCommand.fullMessage(for: error)
    if !message.isEmpty {
        if code.isSuccess {
            print(message)
        } else {
            printError(TextRules.escaped(message, keepingLineBreaks: true))
        }
    }
    exit(code.rawValue)
}
