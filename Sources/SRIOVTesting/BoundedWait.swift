import Foundation

/// Runs work on its own thread and waits for it with a bound, for tests of things that
/// must not block (a FIFO opened for reading would block forever; a reader must not wait
/// behind a writer): the test then fails with a message instead of hanging.
public enum BoundedWait {
    private final class Slot<T>: @unchecked Sendable {
        var value: T?
        init() {}
    }

    /// `body`'s result, or nil when it has not finished within `seconds` (the thread is
    /// then left running).
    public static func result<T>(within seconds: Double, _ body: @escaping @Sendable () -> T) -> T? {
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
