public import SRIOVCore

/// The `POST /v1/audit/fix` body: `audit --fix`'s options, `{"dryRun": false,
/// "forceRunning": false, "vfs": ["eth0:3"], "noLibvirt": false, "hostName": "h"}`, all optional.
public struct AgentAuditFixRequest: Hashable, Sendable {
    /// `--dry-run`: only say what would be repaired.
    public var dryRun: Bool
    /// `--force-running`: also repair VFs of running guests.
    public var forceRunning: Bool
    /// `--vf PF:INDEX`: repair only these.
    public var vfs: [String]
    /// `--no-libvirt`: do not ask libvirt (Xen hosts).
    public var noLibvirt: Bool
    /// `--host-name`: the host's name in the report, `nil` for the agent's host name.
    public var hostName: String?

    /// Creates a request.
    public init(dryRun: Bool = false, forceRunning: Bool = false, vfs: [String] = [], noLibvirt: Bool = false,
                hostName: String? = nil) {
        self.dryRun = dryRun
        self.forceRunning = forceRunning
        self.vfs = vfs
        self.noLibvirt = noLibvirt
        self.hostName = hostName
    }

    /// What the core's ``AuditService/fix(_:)`` is asked.
    public var fix: AuditFixRequest { AuditFixRequest(vfs: vfs, forceRunning: forceRunning, dryRun: dryRun) }

    /// The keys the body may have.
    public static let keys: Set<String> = ["dryRun", "forceRunning", "vfs", "noLibvirt", "hostName"]

    /// The body for `request`.
    public static func body(_ request: AgentAuditFixRequest) -> [UInt8] {
        var object = JSONObjectWriter()
        object.bool("dryRun", request.dryRun)
        object.bool("forceRunning", request.forceRunning)
        object.strings("vfs", request.vfs)
        object.bool("noLibvirt", request.noLibvirt)
        object.string("hostName", request.hostName)
        return object.bytes
    }

    /// The request in `bytes`; every refusal names the field.
    public static func request(from bytes: some Collection<UInt8>) throws(AgentRequestError) -> AgentAuditFixRequest {
        let fields = try AgentRequestFields(bytes, allowed: keys)
        var vfs: [String] = []
        for (index, item) in (try fields.array("vfs") ?? []).enumerated() {
            guard case .string(let text) = item else {
                throw AgentRequestFields.wrongType("vfs[\(index)]", "a string (PF:INDEX)", item)
            }
            guard AuditVFID(argument: text) != nil else {
                throw .badField("vfs[\(index)]", "invalid-value", "--vf \(quoted(text)): expected PF:INDEX, e.g. eth0:3")
            }
            vfs.append(text)
        }
        let hostName = try fields.string("hostName")
        if let hostName, hostName.isEmpty || hostName.utf8.count > 255 || hostName.contains(where: { $0.isNewline || $0 == "\0" }) {
            throw .badField("hostName", "invalid-value", "'hostName' must be 1 to 255 bytes on one line")
        }
        return AgentAuditFixRequest(dryRun: try fields.bool("dryRun") ?? false, forceRunning: try fields.bool("forceRunning") ?? false,
                               vfs: vfs, noLibvirt: try fields.bool("noLibvirt") ?? false, hostName: hostName)
    }
}

/// The `POST /v1/audit/fix` answer: the report `audit --fix --format json` prints (taken after
/// the repairs), and the lines the command prints on stderr after `fix: `, in order.
public struct AuditFixResult: Hashable, Sendable, Codable {
    /// The audit report after the repairs.
    public var report: AuditReport
    /// What was repaired, skipped or failed, one line each (`eth0:3: reset (stale free VF) done`).
    public var repairs: [String]

    /// Creates a result.
    public init(report: AuditReport, repairs: [String]) {
        self.report = report
        self.repairs = repairs
    }
}
