import Foundation

/// Runs work on its own thread and waits for it with a bound, for tests of things that
/// must not block (a FIFO opened for reading would block forever; a reader must not wait
/// behind a writer): the test then fails with a message instead of hanging. A passing run
/// never reaches the bound: the wait ends when the work does.
public enum BoundedWait {
    private final class Slot<T>: @unchecked Sendable {
        var value: T?
        init() {}
    }

    private final class Race<T: Sendable>: @unchecked Sendable {
        let lock = NSLock()
        var continuation: CheckedContinuation<T?, Never>?
        init() {}

        /// Resumes the waiter with `value` if nothing resumed it yet.
        func finish(_ value: T?) {
            let waiter: CheckedContinuation<T?, Never>? = lock.withLock {
                defer { continuation = nil }
                return continuation
            }
            waiter?.resume(returning: value)
        }
    }

    /// `body`'s result, or nil when it has not finished within `seconds` (the thread is
    /// then left running). The calling task is suspended, not blocked, meanwhile.
    public static func result<T: Sendable>(within seconds: Double, _ body: @escaping @Sendable () -> T) async -> T? {
        let race = Race<T>()
        return await withCheckedContinuation { (continuation: CheckedContinuation<T?, Never>) in
            race.lock.withLock { race.continuation = continuation }
            Thread.detachNewThread { race.finish(body()) }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { race.finish(nil) }
        }
    }

    /// `body`'s result, or nil when it has not finished within `seconds`, blocking the
    /// calling thread meanwhile: only where the caller cannot suspend (inside a database
    /// transaction's closure) and the work ends at once in a passing run.
    public static func blockingResult<T>(within seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
        let slot = Slot<T>()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            slot.value = body()
            done.signal()
        }
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        return slot.value
    }
}
