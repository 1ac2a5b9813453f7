import ArgumentParser
import Logging

// The only place that bootstraps logging: diagnostics go to stderr.
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = GlobalOptions.requestedLogLevel()
    return handler
}

SriovctlCommand.main()
