public import Foundation

/// A program (the built `sriovctl`, util-linux `flock`...) started in the background, whose
/// standard error a test can wait on: the lock tests wait for a command to *say* it is
/// waiting, instead of sleeping and hoping it got that far. Every wait suspends the test
/// rather than blocking its thread.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()
    private let stdout = Pipe()
    private let stdin = Pipe()
    private let condition = NSCondition()
    private var stderrText = ""
    private var stderrClosed = false

    /// Starts the built `sriovctl` with `arguments` (no shell).
    public convenience init(sriovctl arguments: [String]) throws {
        let (arguments, extra) = SriovctlProcess.launch(arguments)
        try self.init(program: SriovctlProcess.binaryPath, arguments, environment: extra)
    }

    /// Starts `program` with `arguments` (no shell); `stdin` is a pipe the test can write to
    /// or close (``closeStandardInput()``), so a child blocked reading it ends when told to.
    /// `environment` is added to this process's own.
    public init(program: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        let stderr = Pipe()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let reader = stderr.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let chunk = reader.availableData
                condition.lock()
                if chunk.isEmpty { stderrClosed = true } else { stderrText += String(decoding: chunk, as: UTF8.self) }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { return }
            }
        }
    }

    /// Waits until standard error contains `text` (true) or the command ends or `limit`
    /// seconds pass (false). The limit only bounds a broken run; a passing one returns as
    /// soon as the line is printed.
    public func waitForStderr(containing text: String, limit: TimeInterval = 120) async -> Bool {
        await BlockingWork.run { self.blockingWaitForStderr(containing: text, limit: limit) }
    }

    private func blockingWaitForStderr(containing text: String, limit: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        condition.lock()
        defer { condition.unlock() }
        while !stderrText.contains(text) {
            if stderrClosed || !condition.wait(until: deadline) { return stderrText.contains(text) }
        }
        return true
    }

    /// Waits until the command ends (true) or `limit` seconds pass (false).
    public func waitForExit(limit: TimeInterval = 120) async -> Bool {
        await BlockingWork.run { self.blockingWaitForExit(limit: limit) }
    }

    private func blockingWaitForExit(limit: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        condition.lock()
        defer { condition.unlock() }
        while !stderrClosed {
            if !condition.wait(until: deadline) { return stderrClosed }
        }
        return true
    }

    /// What the command printed, and its exit status.
    public struct Output: Sendable {
        /// Exit status (128 + the signal's number when a signal ended it).
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Closes the child's standard input: a child reading it (`flock FILE cat`) sees end of file.
    public func closeStandardInput() {
        try? stdin.fileHandleForWriting.close()
    }

    /// What the program has printed on standard error so far.
    public var stderrSoFar: String {
        condition.lock()
        defer { condition.unlock() }
        return stderrText
    }

    /// The process id.
    public var pid: Int32 { process.processIdentifier }

    /// Waits for the command to end and returns what it printed.
    public func finish() async -> Output {
        await BlockingWork.run { self.blockingFinish() }
    }

    private func blockingFinish() -> Output {
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        _ = blockingWaitForExit(limit: 120)
        condition.lock()
        defer { condition.unlock() }
        return .init(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: stderrText)
    }
}
