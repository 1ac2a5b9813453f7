import Foundation
import SRIOVAgentAPI
import SRIOVCore

/// Whether a command goes through the agent, and the calls it makes there.
///
/// The agent is used when it answers on its socket: `--agent-socket PATH`, or the default
/// socket when the command names the default database, sysfs and config (so a test or a
/// second database never reaches the host's agent by accident). `--direct` never uses it.
/// A missing socket or one nobody listens on means working directly, silently; an agent that
/// answers with an error is that error (exit 1), never a retry without it.
struct AgentMode {
    let client: AgentClient
    let options: GlobalOptions

    /// The agent to try for `options`, `nil` for direct mode.
    static func client(_ options: GlobalOptions) -> AgentMode? {
        if options.direct { return nil }
        if let socket = options.agentSocket { return AgentMode(client: AgentClient(socketPath: socket), options: options) }
        let defaults = GlobalOptions.defaults
        guard options.db == defaults.db, options.sysfsRoot == defaults.sysfsRoot, options.configFile == defaults.configFile
        else { return nil }
        return AgentMode(client: AgentClient(socketPath: AgentAPIConfiguration.defaultSocketPath), options: options)
    }

    /// `POST /v1/attach`; `nil` when no agent answers.
    func attach(_ request: AttachRequest) throws(SRIOVError) -> AttachmentResult? {
        try call("POST", "/v1/attach", body: AttachRequestJSON.body(request), as: AttachmentResult.self,
                 check: "sriovctl leases --direct")
    }

    /// `POST /v1/detach`; `nil` when no agent answers.
    func detach(_ request: DetachRequest) throws(SRIOVError) -> DetachResult? {
        try call("POST", "/v1/detach", body: DetachRequestJSON.body(request), as: DetachResult.self,
                 check: "sriovctl leases --direct")
    }

    /// `GET /v1/leases`; `nil` when no agent answers.
    func leases() throws(SRIOVError) -> LeaseReport? {
        try call("GET", "/v1/leases", body: nil, as: LeaseReport.self)
    }

    /// `POST /v1/provision`; `nil` when no agent answers. An answer whose provisioning failed
    /// (HTTP 500 with the report) is returned, not thrown: the command prints it and exits 1.
    func provision(_ request: ProvisionRequest) throws(SRIOVError) -> ProvisionAnswer.Text? {
        try call("POST", "/v1/provision", body: ProvisionRequest.body(request), as: ProvisionAnswer.Text.self,
                 alsoAccepting: 500, check: "sriovctl provision --dry-run --direct")
    }

    /// `POST /v1/audit/fix`; `nil` when no agent answers.
    func auditFix(_ request: AgentAuditFixRequest) throws(SRIOVError) -> AuditFixResult? {
        try call("POST", "/v1/audit/fix", body: AgentAuditFixRequest.body(request), as: AuditFixResult.self,
                 check: "sriovctl audit")
    }

    /// The headers that make the agent refuse a request meant for other files than its own.
    private var contextHeaders: [(String, String)] {
        [(AgentContextHeader.database, options.db), (AgentContextHeader.configFile, options.configFile),
         (AgentContextHeader.sysfsRoot, options.sysfsRoot)]
    }

    private func call<T: Decodable>(_ method: String, _ path: String, body: [UInt8]?, as type: T.Type,
                                    alsoAccepting accepted: Int? = nil, check: String = "sriovctl leases --direct") throws(SRIOVError) -> T? {
        guard case .answered(let status, let bytes) = try client.checking(with: check)
            .send(method, path, body: body, headers: contextHeaders) else {
            return nil
        }
        let decoder = JSONDecoder()
        if status == accepted, let answer = try? decoder.decode(T.self, from: Data(bytes)) { return answer }
        guard (200..<300).contains(status) else {
            if let envelope = try? decoder.decode(AgentRequestError.Envelope.self, from: Data(bytes)) {
                throw envelope.error.sriovError
            }
            throw SRIOVError(.system, "the agent at \(client.socketPath) answered HTTP \(status) without an error body")
        }
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch {
            throw SRIOVError(.system, "the agent at \(client.socketPath) answered JSON this sriovctl cannot read: \(error)")
        }
    }
}

extension GlobalOptions {
    /// The options as given to no command: the default paths.
    static var defaults: GlobalOptions {
        // Parsing no arguments cannot fail: every option has a default.
        (try? GlobalOptions.parse([])) ?? GlobalOptions()
    }
}
