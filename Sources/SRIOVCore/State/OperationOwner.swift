/// The process that wrote an `intent` or `releasing` row: enough to tell later whether it
/// is still running (the pid alone is not: pids are reused, and a reboot restarts them).
public struct OperationOwner: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Process id.
    public var pid: Int32
    /// Process start time in clock ticks since boot (`/proc/PID/stat` field 22).
    public var startTime: UInt64
    /// `/proc/sys/kernel/random/boot_id` of the boot the process ran in.
    public var bootID: String

    /// Creates an owner.
    public init(pid: Int32, startTime: UInt64, bootID: String) {
        self.pid = pid
        self.startTime = startTime
        self.bootID = bootID
    }

    /// `pid 1234`.
    public var description: String { "pid \(pid)" }
}
