public import Foundation

/// Another process holding an exclusive `flock(2)` on a file, as another sriovctl holds the
/// state database's operation lock: util-linux `flock FILE sh -c 'echo locked >&2; exec cat'`
/// (a fixed script, nothing from input in it), whose `cat` reads a pipe from the test.
/// ``hold(_:)`` returns once the holder says "locked" on standard error, which it can only
/// do with the lock held; ``release()`` closes the pipe, so `cat` ends and the lock goes with
/// it. Nothing waits on a clock.
public final class FlockHolder: Sendable {
    /// util-linux `flock` (Debian's util-linux is essential, so every machine has it).
    public static let flockPath = "/usr/bin/flock"

    private let holder: BackgroundProcess

    private init(_ holder: BackgroundProcess) { self.holder = holder }

    /// Starts a process that locks `path` (creating it when missing) and returns once it
    /// holds the lock. Throws when `flock` cannot be started or ends without locking.
    public static func hold(_ path: String) async throws -> FlockHolder {
        let process = try BackgroundProcess(program: flockPath,
                                            ["--exclusive", path, "/bin/sh", "-c", "echo locked >&2; exec cat"])
        guard await process.waitForStderr(containing: "locked") else {
            process.closeStandardInput()
            let output = await process.finish()
            throw FlockHolderError(message: "flock \(path) did not take the lock (status \(output.status)): \(output.stderr)")
        }
        return FlockHolder(process)
    }

    /// Ends the holder and returns once it has exited (the lock is free then).
    public func release() async {
        holder.closeStandardInput()
        _ = await holder.finish()
    }
}

/// `flock` could not hold the lock.
public struct FlockHolderError: Error, CustomStringConvertible {
    /// What happened.
    public var message: String
    /// The message.
    public var description: String { message }
}
