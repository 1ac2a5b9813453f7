import FoundationEssentials
import Glibc
public import SRIOVCore

/// ``ProcessLiveness`` from /proc: a process is identified by its pid, its start time
/// (`/proc/PID/stat` field 22, clock ticks since boot) and the boot it ran in
/// (`/proc/sys/kernel/random/boot_id`). A reused pid has another start time; after a
/// reboot the boot id differs; either way the old owner counts as gone.
public struct ProcProcessLiveness: ProcessLiveness {
    /// Where proc is mounted.
    public let procRoot: String
    /// This process, read once.
    public let current: OperationOwner

    /// Reads this process's identity from `procRoot` (default `/proc`).
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
        let pid = getpid()
        let boot = Self.bootID(procRoot: procRoot)
        current = OperationOwner(pid: pid, startTime: Self.startTime(pid: pid, procRoot: procRoot) ?? 0, bootID: boot)
    }

    public func isRunning(_ owner: OperationOwner) -> Bool {
        guard owner.bootID == current.bootID else { return false }
        if owner == current { return true }
        guard let start = Self.startTime(pid: owner.pid, procRoot: procRoot) else { return false }
        return start == owner.startTime
    }

    static func bootID(procRoot: String) -> String {
        guard let data = FileManager.default.contents(atPath: "\(procRoot)/sys/kernel/random/boot_id") else {
            return "unknown"
        }
        return String(decoding: data, as: UTF8.self).trimmed
    }

    /// Field 22 of `/proc/PID/stat`, counted after the `comm` field's closing parenthesis
    /// (the command name may itself hold spaces and parentheses).
    static func startTime(pid: Int32, procRoot: String) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "\(procRoot)/\(pid)/stat") else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field 22 is fields[19].
        guard fields.count > 19 else { return nil }
        return UInt64(fields[19])
    }
}
