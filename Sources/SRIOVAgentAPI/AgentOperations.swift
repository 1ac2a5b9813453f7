public import SRIOVCore

/// What the local API asks of the host: one method per endpoint that reads or changes VFs.
///
/// The routes depend on this protocol only; the composition root binds it to the code the
/// commands run (`sriovctl/Agent/CommandAgentOperations.swift`), tests to a fake. Methods
/// block (netlink, the state database, the operation lock): the server calls them on a
/// thread pool, never on an event loop. Each changing method takes the same operation lock
/// as the CLI, so commands and the agent interleave safely.
public protocol AgentOperations: Sendable {
    /// `POST /v1/attach`: what `attach --format json` does and prints.
    func attach(_ request: AttachRequest) throws(SRIOVError) -> AttachmentResult
    /// `POST /v1/detach`: what `detach --json` does and prints.
    func detach(_ request: DetachRequest) throws(SRIOVError) -> DetachResult
    /// `POST /v1/provision`: `provision` (under the operation lock unless a dry run).
    func provision(_ request: ProvisionRequest) throws(SRIOVError) -> ProvisionAnswer
    /// `GET /v1/leases`: `leases --json`.
    func leases() throws(SRIOVError) -> LeaseReport
    /// `GET /v1/audit`: `audit --format json` (the report; nothing repaired).
    func audit() throws(SRIOVError) -> AuditReport
    /// `POST /v1/audit/fix`: `audit --fix` (repairs under the operation lock, then the report);
    /// the `fix: …` lines come back instead of going to stderr.
    func auditFix(_ request: AgentAuditFixRequest) throws(SRIOVError) -> AuditFixResult
    /// `GET /v1/pfs/{pf}/vfs`: `vf show PF --json`.
    func showVFs(pf: String) throws(SRIOVError) -> PFLinkStatus
    /// `POST /v1/pfs/{pf}/vfs`: `vf apply PF --json`, the VFs given as `vf apply`'s JSON Lines
    /// (one object per line; `source` names them in errors). One bad line and nothing changes.
    func applyVFs(pf: String, specLines: String, source: String) throws(SRIOVError) -> VFApplyReport
    /// `GET /v1/health`: which files and sysfs tree the agent works on.
    func health() -> AgentHealth
}

/// The `GET /v1/health` body: the agent is up, and what it works on. The CLI compares these
/// with its own options before it sends a change through the agent.
public struct AgentHealth: Hashable, Sendable, Codable {
    /// Always `ok` when the agent answers.
    public var status: String
    /// The program version.
    public var version: String
    /// The state database the agent uses.
    public var database: String
    /// The config file it loaded.
    public var configFile: String
    /// Where it reads sysfs.
    public var sysfsRoot: String

    /// Creates a health answer.
    public init(status: String = "ok", version: String, database: String, configFile: String, sysfsRoot: String) {
        self.status = status
        self.version = version
        self.database = database
        self.configFile = configFile
        self.sysfsRoot = sysfsRoot
    }
}
