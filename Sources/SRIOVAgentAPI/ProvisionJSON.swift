public import SRIOVCore

/// The `POST /v1/provision` body: `provision`'s options, `{"dryRun": false, "force": false,
/// "reloadDriver": false, "guest": "web1", "json": false}`, all optional.
public struct ProvisionRequest: Hashable, Sendable {
    /// `--dry-run`.
    public var dryRun: Bool
    /// `--force`.
    public var force: Bool
    /// `--reload-driver`.
    public var reloadDriver: Bool
    /// `--guest NAME`: only give this guest's VFs their settings back.
    public var guest: String?
    /// `--json`: the text answered is the report's JSON.
    public var json: Bool

    /// Creates a request.
    public init(dryRun: Bool = false, force: Bool = false, reloadDriver: Bool = false, guest: String? = nil, json: Bool = false) {
        self.dryRun = dryRun
        self.force = force
        self.reloadDriver = reloadDriver
        self.guest = guest
        self.json = json
    }

    /// The keys the body may have.
    public static let keys: Set<String> = ["dryRun", "force", "reloadDriver", "guest", "json"]

    /// The body for `request`.
    public static func body(_ request: ProvisionRequest) -> [UInt8] {
        var object = JSONObjectWriter()
        object.bool("dryRun", request.dryRun)
        object.bool("force", request.force)
        object.bool("reloadDriver", request.reloadDriver)
        object.string("guest", request.guest)
        object.bool("json", request.json)
        return object.bytes
    }

    /// The request in `bytes`, checked as `provision` checks its options; refusals name the field.
    public static func request(from bytes: some Collection<UInt8>) throws(AgentRequestError) -> ProvisionRequest {
        let fields = try AgentRequestFields(bytes, allowed: keys)
        let guest = try fields.string("guest")
        if let guest { try checked("guest") { () throws(SRIOVError) in try GuestNameRules.validateGuestName(guest) } }
        let request = ProvisionRequest(dryRun: try fields.bool("dryRun") ?? false, force: try fields.bool("force") ?? false,
                                       reloadDriver: try fields.bool("reloadDriver") ?? false, guest: guest,
                                       json: try fields.bool("json") ?? false)
        if guest != nil && (request.force || request.reloadDriver) {
            throw .badField(request.force ? "force" : "reloadDriver", "invalid-value",
                            "'guest' only restores VF settings; it cannot be combined with 'force' or 'reloadDriver'")
        }
        return request
    }
}

/// The `POST /v1/provision` answer: the plan and the outcome as `provision --json` prints them,
/// whether everything was done, and the text the command prints (stdout, stderr), so a command
/// that went through the agent prints exactly what it prints directly.
public struct ProvisionAnswer: Sendable, Encodable {
    /// The plan (`provision --dry-run --json`).
    public var plan: ProvisionReport
    /// The outcome (`provision --json`), `nil` after a dry run or when nothing was to do.
    public var outcome: ProvisionReport?
    /// False when anything failed or was refused (the command exits 1).
    public var succeeded: Bool
    /// What the command prints on standard output.
    public var stdout: String
    /// What it prints on standard error.
    public var stderr: String

    /// Creates an answer.
    public init(plan: ProvisionReport, outcome: ProvisionReport?, succeeded: Bool, stdout: String, stderr: String) {
        self.plan = plan
        self.outcome = outcome
        self.succeeded = succeeded
        self.stdout = stdout
        self.stderr = stderr
    }

    enum CodingKeys: String, CodingKey { case plan, outcome, succeeded, stdout, stderr }

    /// Every key present; `outcome` is `null` when nothing ran.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(plan, forKey: .plan)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode(stdout, forKey: .stdout)
        try c.encode(stderr, forKey: .stderr)
    }

    /// The part of the answer a command reads back.
    public struct Text: Sendable, Decodable {
        /// See ``ProvisionAnswer/succeeded``.
        public var succeeded: Bool
        /// See ``ProvisionAnswer/stdout``.
        public var stdout: String
        /// See ``ProvisionAnswer/stderr``.
        public var stderr: String
    }
}
