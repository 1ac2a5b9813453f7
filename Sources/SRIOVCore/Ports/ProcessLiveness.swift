/// Tells whether the process that owns a row is still running. Implemented over /proc by
/// SRIOVLinux; SRIOVTesting has a fake.
public protocol ProcessLiveness: Sendable {
    /// This process.
    var current: OperationOwner { get }
    /// True when `owner` is a process of this boot that is still running.
    func isRunning(_ owner: OperationOwner) -> Bool
}
