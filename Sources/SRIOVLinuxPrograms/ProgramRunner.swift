import Foundation  // Process, Pipe, NSString paths: not in FoundationEssentials
import Glibc

/// Runs a program with an argument array (never through a shell) and collects what it
/// prints. Used for `modprobe`/`modinfo`, and by the tests to run the built `sriovctl`.
public enum ProgramRunner {
    /// The outcome of one run.
    public struct Result: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String
    }

    /// Runs `program` with `arguments` and waits for it. `environment` replaces the
    /// child's environment when given; `stdin` is written to its standard input (else it
    /// reads /dev/null). Throws only when the program cannot be started.
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil,
                           stdin: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = stdin.map { _ in Pipe() }
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        if let input, let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        // Read both pipes at once, so a chatty program cannot fill one and block.
        let stderrBox = PipeData()
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        DispatchQueue.global().async {
            stderrBox.data = errHandle.readDataToEndOfFile()
            done.signal()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrBox.data, as: UTF8.self))
    }
}

/// stderr collected on another thread.
private final class PipeData: @unchecked Sendable {
    var data = Data()
}
