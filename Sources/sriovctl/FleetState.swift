import FoundationEssentials
import Glibc
import SRIOVCore

/// The fleet store a host uses (the config's `state: { url: postgresql://… }`): the server,
/// this host's identity, and the local directory of its operation lock.
struct FleetState: Sendable {
    /// The server and database (no password: that stays in the password file).
    let target: PostgresTarget
    /// The `state:` section.
    let settings: StateSettings

    /// Where this host's identity comes from when the config gives no `host_id`.
    static let machineIDPath = "/etc/machine-id"

    /// This host: `host_id` or `/etc/machine-id`, and the host name for display.
    func host() throws(SRIOVError) -> FleetHost {
        FleetHost(id: try hostID(), name: Self.hostName())
    }

    private func hostID() throws(SRIOVError) -> String {
        if let id = settings.hostID { return id }
        switch Self.readMachineID() {
        case .unreadable:
            throw SRIOVError(.invalidConfig, "\(Self.machineIDPath) cannot be read: a fleet state database needs a stable "
                             + "host id (set state: host_id: in the config)")
        case .notAnID:
            throw SRIOVError(.invalidConfig, "\(Self.machineIDPath) does not hold a machine id (set state: host_id: in the config)")
        case .id(let id):
            return id
        }
    }

    /// `/etc/machine-id` when it holds one.
    static func machineID() -> String? {
        if case .id(let id) = readMachineID() { return id }
        return nil
    }

    private enum MachineIDFile {
        case unreadable, notAnID, id(String)
    }

    /// `/etc/machine-id`, read and checked (1-64 hex digits) in one place for both callers.
    private static func readMachineID() -> MachineIDFile {
        guard let data = FileManager.default.contents(atPath: machineIDPath) else { return .unreadable }
        let id = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (1...64).contains(id.count) && id.allSatisfy({ $0.isHexDigit }) ? .id(id) : .notAnID
    }

    private static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The operation lock of this host (what `<db>.lock` is for a local file).
    var lockFile: String { settings.localDirectory + "/operation.lock" }
}
