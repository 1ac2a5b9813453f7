import Foundation
public import SRIOVLinuxPrograms

/// Runs the built `sriovctl` binary (next to the test bundle in `.build/<config>/`) the
/// way a user does, and captures what it prints. The calling test is suspended, not
/// blocked, while the binary runs (``ChildProcess``), so other tests run meanwhile.
public enum SriovctlProcess {
    /// The outcome of one run.
    public typealias Result = ProgramRunner.Result

    /// The binary's path: `SRIOVCTL_BIN` if set, else next to the running test bundle.
    public static var binaryPath: String {
        if let path = ProcessInfo.processInfo.environment["SRIOVCTL_BIN"] { return path }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest/Contents/MacOS") { dir = dir.deletingLastPathComponent().deletingLastPathComponent() }
        return dir.appendingPathComponent("sriovctl").path
    }

    /// The full binary (`sriovctl-full`, every command on ArgumentParser) next to ``binaryPath``,
    /// which the lean `sriovctl` runs for every command line it does not serve itself.
    public static var fullBinaryPath: String {
        URL(fileURLWithPath: binaryPath).deletingLastPathComponent().appendingPathComponent("sriovctl-full").path
    }

    /// Runs `sriovctl` with `arguments` (no shell involved) and suspends until it ends.
    public static func run(_ arguments: [String], environment: [String: String] = [:],
                           stdin: String? = nil) async throws -> Result {
        let (arguments, extra) = launch(arguments)
        return try await ChildProcess.run(binaryPath, arguments, environment: Self.environment(merging: environment.merging(extra) { $1 }),
                                          stdin: stdin ?? "")
    }

    /// Runs `sriovctl` with `arguments` and blocks the calling thread until it ends: only
    /// for code already on a thread of its own (a test's helper thread), never in a test's task.
    public static func runBlocking(_ arguments: [String], environment: [String: String] = [:],
                                   stdin: String? = nil) throws -> Result {
        let (arguments, extra) = launch(arguments)
        return try ProgramRunner.run(binaryPath, arguments, environment: Self.environment(merging: environment.merging(extra) { $1 }),
                                     stdin: stdin ?? "")
    }

    /// This process's environment with `extra` on top.
    private static func environment(merging extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env.merge(extra) { $1 }
        return env
    }

    /// The test-only marker that runs attach and detach without netlink (there is no kernel
    /// behind a sysfs fixture). The binary has no such option: ``launch(_:)`` takes the marker
    /// out and sets ``unprogrammedVFsVariable`` instead, which only tests set.
    public static let unprogrammedVFsMarker = "--no-program"
    /// The environment variable sriovctl reads to use its stand-in for netlink (tests only).
    public static let unprogrammedVFsVariable = "SRIOVCTL_TEST_UNPROGRAMMED_VFS"

    /// `arguments` without ``unprogrammedVFsMarker``, and the environment it stands for.
    public static func launch(_ arguments: [String]) -> (arguments: [String], environment: [String: String]) {
        guard arguments.contains(unprogrammedVFsMarker) else { return (arguments, [:]) }
        return (arguments.filter { $0 != unprogrammedVFsMarker }, [unprogrammedVFsVariable: "1"])
    }

    /// Starts one `sriovctl` per argument list, all at the same moment (one thread each, not
    /// a task pool that would run them two at a time on a 2-core machine), and waits for
    /// all of them. Results are in the order of `argumentLists`.
    public static func runAtOnce(_ argumentLists: [[String]]) async -> [Swift.Result<Result, any Error>] {
        await BlockingWork.run { runAtOnceBlocking(argumentLists) }
    }

    private static func runAtOnceBlocking(_ argumentLists: [[String]]) -> [Swift.Result<Result, any Error>] {
        final class Slots: @unchecked Sendable {
            let lock = NSLock()
            var results: [Swift.Result<Result, any Error>?]
            init(_ count: Int) { results = Array(repeating: nil, count: count) }
        }
        let slots = Slots(argumentLists.count)
        let group = DispatchGroup()
        for (index, arguments) in argumentLists.enumerated() {
            group.enter()
            Thread.detachNewThread {
                let outcome = Swift.Result { try runBlocking(arguments) }
                slots.lock.withLock { slots.results[index] = outcome }
                group.leave()
            }
        }
        group.wait()
        return slots.results.map { $0! }
    }
}
