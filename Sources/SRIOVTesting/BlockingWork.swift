public import Foundation

/// Runs blocking work (a child process, a libvirt call, a lock wait) on a thread of its own
/// and suspends the calling task until it is done.
///
/// Swift Testing runs tests as tasks on the cooperative pool, which has one thread per core
/// (two here). A test that blocks one of them in `waitpid` or `read` holds up every other
/// test behind it; a test that awaits this gives its thread back while the work runs.
public enum BlockingWork {
    /// `body`'s result, computed on a new thread; the caller's thread is free meanwhile.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }

    /// `body`'s result, computed on a new thread; the caller's thread is free meanwhile.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }
}
