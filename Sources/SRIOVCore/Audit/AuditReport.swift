/// The result of `sriovctl audit`: findings plus per-host inventory. Its JSON form is the
/// documented `audit --format json` shape (docs/audit.md, docs/audit.schema.json), which
/// `audit --merge` reads back.
public struct AuditReport: Hashable, Sendable, Codable {
    /// JSON schema version of the report; bumped on incompatible changes.
    public static let currentSchemaVersion = 1

    /// The schema version this report was written with.
    public var schemaVersion: Int
    /// Program and version that wrote it (`sriovctl 0.1.0`).
    public var generator: String
    /// The audited host for a single-host report; `nil` for a fleet (merged) report.
    public var host: String?
    /// One section per host, ordered by host name in fleet reports.
    public var hosts: [AuditHostSection]
    /// Every finding, worst first.
    public var findings: [AuditFinding]

    /// Creates a report; findings are kept in the given order.
    public init(schemaVersion: Int = AuditReport.currentSchemaVersion, generator: String, host: String?,
                hosts: [AuditHostSection], findings: [AuditFinding]) {
        self.schemaVersion = schemaVersion
        self.generator = generator
        self.host = host
        self.hosts = hosts
        self.findings = findings
    }

    /// Findings per severity.
    public var summary: AuditSummary { AuditSummary(findings) }

    /// The worst severity found, `nil` when clean.
    public var worstSeverity: AuditSeverity? { findings.map(\.severity).max() }

    /// The exit status: 1 when a finding is at or above `failOn`, else 0.
    public func exitStatus(failOn: AuditSeverity) -> Int32 {
        findings.contains { $0.severity >= failOn } ? 1 : 0
    }

    /// Worst first, then by rule id, then by the first VF named (PF, then index in numeric
    /// order: VF 2 before VF 10), then by message.
    static func ordered(_ findings: [AuditFinding]) -> [AuditFinding] {
        let keyed = findings.map { finding -> (AuditFinding, String, Int) in
            guard let vf = finding.objects.first(where: { $0.kind == .vf }), let slash = vf.id.lastIndex(of: "/"),
                  let index = Int(vf.id[vf.id.index(after: slash)...]) else { return (finding, "", -1) }
            return (finding, String(vf.id[..<slash]), index)
        }
        return keyed.sorted { a, b in
            if a.0.severity != b.0.severity { return a.0.severity > b.0.severity }
            if a.0.rule != b.0.rule { return a.0.rule.rawValue < b.0.rule.rawValue }
            if (a.1, a.2) != (b.1, b.2) { return (a.1, a.2) < (b.1, b.2) }
            return a.0.message < b.0.message
        }.map(\.0)
    }

    enum CodingKeys: String, CodingKey { case schemaVersion, generator, host, hosts, findings, summary }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        generator = try c.decode(String.self, forKey: .generator)
        host = try c.decodeIfPresent(String.self, forKey: .host)
        hosts = try c.decode([AuditHostSection].self, forKey: .hosts)
        findings = try c.decode([AuditFinding].self, forKey: .findings)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(generator, forKey: .generator)
        try c.encode(host, forKey: .host)
        try c.encode(hosts, forKey: .hosts)
        try c.encode(findings, forKey: .findings)
        try c.encode(summary, forKey: .summary)
    }
}

/// How many findings there are of each severity.
public struct AuditSummary: Hashable, Sendable, Codable {
    /// All findings.
    public var total: Int
    /// Critical findings.
    public var critical: Int
    /// Errors.
    public var error: Int
    /// Warnings.
    public var warning: Int
    /// Info.
    public var info: Int

    /// Counts `findings`.
    public init(_ findings: [AuditFinding]) {
        total = findings.count
        critical = findings.count { $0.severity == .critical }
        error = findings.count { $0.severity == .error }
        warning = findings.count { $0.severity == .warning }
        info = findings.count { $0.severity == .info }
    }

    /// `1 critical, 2 error, 0 warning, 0 info` style text; `no findings` when clean.
    public var text: String {
        guard total > 0 else { return "no findings" }
        let parts = [(critical, "critical"), (error, "error"), (warning, "warning"), (info, "info")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return "\(total) finding\(total == 1 ? "" : "s") (\(parts.joined(separator: ", ")))"
    }
}

/// One host's part of a report: where the data came from and what is where.
public struct AuditHostSection: Hashable, Sendable, Codable, ExplicitNullEncoding {
    /// Host name.
    public var host: String
    /// When the snapshot was taken (ISO 8601), `nil` when not recorded.
    public var generatedAt: String?
    /// False when libvirt was not reachable and its rules were skipped.
    public var libvirtChecked: Bool
    /// The libvirt URI used, `nil` for libvirt's default.
    public var libvirtURI: String?
    /// What could not be read, for the operator.
    public var notices: [String]
    /// Every PF, VF, guest, network and MAC.
    public var inventory: AuditInventory

    /// Creates a section.
    public init(host: String, generatedAt: String?, libvirtChecked: Bool, libvirtURI: String?, notices: [String],
                inventory: AuditInventory) {
        self.host = host
        self.generatedAt = generatedAt
        self.libvirtChecked = libvirtChecked
        self.libvirtURI = libvirtURI
        self.notices = notices
        self.inventory = inventory
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case host, generatedAt, libvirtChecked, libvirtURI = "libvirtUri", notices, inventory }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}
