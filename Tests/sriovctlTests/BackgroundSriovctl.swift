import Foundation
import SRIOVTesting

/// A `sriovctl` started in the background, whose standard error a test can wait on: the
/// lock tests wait for the command to *say* it is waiting, instead of sleeping and hoping
/// it got that far.
final class BackgroundSriovctl: @unchecked Sendable {
    private let process = Process()
    private let stdout = Pipe()
    private let condition = NSCondition()
    private var stderrText = ""
    private var stderrClosed = false

    /// Starts `sriovctl arguments` (no shell).
    init(_ arguments: [String]) throws {
        let stderr = Pipe()
        process.executableURL = URL(fileURLWithPath: SriovctlProcess.binaryPath)
        let (arguments, extra) = SriovctlProcess.launch(arguments)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        process.standardInput = FileHandle.nullDevice
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
    func waitForStderr(containing text: String, limit: TimeInterval = 120) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        condition.lock()
        defer { condition.unlock() }
        while !stderrText.contains(text) {
            if stderrClosed || !condition.wait(until: deadline) { return stderrText.contains(text) }
        }
        return true
    }

    /// Waits until the command ends (true) or `limit` seconds pass (false).
    func waitForExit(limit: TimeInterval = 120) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        condition.lock()
        defer { condition.unlock() }
        while !stderrClosed {
            if !condition.wait(until: deadline) { return stderrClosed }
        }
        return true
    }

    /// What the command printed, and its exit status.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Waits for the command to end and returns what it printed.
    func finish() -> Output {
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        _ = waitForExit()
        condition.lock()
        defer { condition.unlock() }
        return .init(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: stderrText)
    }
}
