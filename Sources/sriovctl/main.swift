import ArgumentParser
import FoundationEssentials
import Glibc
import Logging
import SRIOVCore

// The only place that bootstraps logging: diagnostics go to stderr.
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = GlobalOptions.requestedLogLevel()
    return handler
}

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
