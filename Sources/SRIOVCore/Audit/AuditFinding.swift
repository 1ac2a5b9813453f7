/// How bad a finding is. Ordered: `info < warning < error < critical`.
///
/// - critical: traffic goes to the wrong place right now (the same MAC live on two ports).
/// - error: wrong now, or breaks at the next guest start or attach (a VF carrying the wrong MAC
///   or VLAN, a departed guest's MAC on a free VF, a guest definition that disagrees with its
///   lease, a VF held for a guest that is gone, a multicast MAC).
/// - warning: weaker isolation or untidy bookkeeping (trust, spoofchk, link state or rate drift,
///   a foreign MAC on a free VF, a lease for a gone guest, a MAC outside the pool).
/// - info: worth knowing, nothing to repair.
public enum AuditSeverity: String, Hashable, Sendable, Codable, CaseIterable, Comparable, CustomStringConvertible {
    /// Worth knowing, nothing to repair.
    case info
    /// Weaker isolation or untidy bookkeeping.
    case warning
    /// Wrong now or at the next start/attach.
    case error
    /// Traffic goes to the wrong place now.
    case critical

    private var rank: Int {
        switch self {
        case .info: 0
        case .warning: 1
        case .error: 2
        case .critical: 3
        }
    }

    public static func < (lhs: AuditSeverity, rhs: AuditSeverity) -> Bool { lhs.rank < rhs.rank }

    public var description: String { rawValue }
}

/// The family a rule belongs to (the six kinds, plus fleet-wide duplicates under `duplicate`).
public enum AuditCategory: String, Hashable, Sendable, Codable, CaseIterable {
    /// The same MAC in two places.
    case duplicate
    /// An assigned VF differs from what the database says was applied.
    case drift
    /// A free VF still carries a MAC.
    case stale
    /// One source knows a guest or VF the others do not.
    case orphan
    /// A guest's definition disagrees with its lease.
    case mismatch
    /// A value breaks the MAC or security policy.
    case policy
}

/// Every audit rule; the raw value is the stable id used in JSON and docs/audit.md.
public enum AuditRule: String, Hashable, Sendable, Codable, CaseIterable {
    /// One MAC live on two or more VFs.
    case duplicateMACOnVFs = "duplicate-mac-vfs"
    /// A VF's MAC equals a host interface's MAC.
    case duplicateMACOnHostInterface = "duplicate-mac-host-interface"
    /// Two or more leases hold the same MAC.
    case duplicateMACInLeases = "duplicate-mac-leases"
    /// The same MAC on two hosts (fleet merge only).
    case duplicateMACAcrossHosts = "duplicate-mac-hosts"
    /// A lease attached on two hosts of a fleet database: a guest moving (`audit --fleet` only).
    case moveInProgress = "fleet-move-in-progress"
    /// An assigned VF's MAC, VLAN, QoS, trust, spoofchk, link state or rate differs from the database.
    case drift = "drift"
    /// An assigned VF the kernel does not report (PF gone, fewer VFs).
    case assignedVFMissing = "drift-vf-missing"
    /// A free VF carrying a leased or quarantined MAC (a departed guest's MAC).
    case staleLeasedMAC = "stale-leased-mac"
    /// A free VF carrying some other non-zero, non-placeholder MAC.
    case staleMAC = "stale-mac"
    /// A lease (without assignment) whose guest libvirt no longer knows.
    case orphanLease = "orphan-lease"
    /// An assignment whose guest libvirt no longer knows: the VF is held for nobody.
    case orphanAssignment = "orphan-assignment"
    /// A guest's hostdev interface on a VF sriovctl has not assigned to it.
    case orphanGuestInterface = "orphan-guest-interface"
    /// A guest's `<mac>` differs from its lease on the VF it was assigned.
    case mismatchMAC = "mismatch-mac"
    /// A guest's `<source>` address differs from the VF its lease was assigned.
    case mismatchSource = "mismatch-source"
    /// An assignment whose guest exists but defines no interface for it.
    case mismatchMissingInterface = "mismatch-missing-interface"
    /// A guest renamed in libvirt (same UUID) that the database still knows by its old name.
    case mismatchGuestRenamed = "mismatch-guest-renamed"
    /// A lease MAC outside the configured pool.
    case macOutsidePool = "policy-mac-outside-pool"
    /// A multicast (group bit set) MAC in a lease.
    case multicastMAC = "policy-multicast-mac"
    /// A universally administered (vendor) MAC in a lease: it can collide with real NICs.
    case universalMAC = "policy-universal-mac"
    /// A VF in use with spoof checking off while not trusted.
    case spoofCheckOffUntrusted = "policy-spoofchk-off-untrusted"
    /// An assigned VF's PF is on another NUMA node than its guest's memory.
    case numaRemote = "policy-numa-remote"
    /// An assigned VF is outside its network's VF range (the config changed since).
    case vfOutsidePool = "policy-vf-outside-pool"

    /// The family of the rule.
    public var category: AuditCategory {
        switch self {
        case .duplicateMACOnVFs, .duplicateMACOnHostInterface, .duplicateMACInLeases, .duplicateMACAcrossHosts,
             .moveInProgress: .duplicate
        case .drift, .assignedVFMissing: .drift
        case .staleLeasedMAC, .staleMAC: .stale
        case .orphanLease, .orphanAssignment, .orphanGuestInterface: .orphan
        case .mismatchMAC, .mismatchSource, .mismatchMissingInterface, .mismatchGuestRenamed: .mismatch
        case .macOutsidePool, .multicastMAC, .universalMAC, .spoofCheckOffUntrusted, .numaRemote, .vfOutsidePool: .policy
        }
    }
}

/// A thing a finding is about, with a stable id and a label for people.
public struct AuditObject: Hashable, Sendable, Codable, CustomStringConvertible {
    /// What kind of thing.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A host (fleet findings). Id: host name.
        case host
        /// A PF. Id: netdev.
        case pf
        /// A VF. Id: `PF/INDEX`.
        case vf
        /// A lease. Id: `guest/network/slot`.
        case lease
        /// An assignment. Id: its lease's id.
        case assignment
        /// A libvirt guest. Id: its name.
        case guest
        /// A host network interface. Id: its name.
        case hostInterface
        /// A MAC address. Id: the MAC.
        case mac
        /// A network. Id: its name.
        case network
        /// The database's quarantine of released MACs. Id: the MAC.
        case quarantine
    }

    /// The kind.
    public var kind: Kind
    /// The stable id (see ``Kind``).
    public var id: String
    /// Human label, e.g. `eth0 VF 3 (guest web1)`.
    public var label: String
    /// The host the object is on.
    public var host: String

    /// Creates an object reference.
    public init(kind: Kind, id: String, label: String, host: String) {
        self.kind = kind
        self.id = id
        self.label = label
        self.host = host
    }

    public var description: String { label }
}

/// A suggested repair: one command line, as argv and as safely quoted shell text.
public struct AuditFixCommand: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The words of the command, unquoted.
    public var argv: [String]

    /// Creates a command from its words.
    public init(_ argv: [String]) { self.argv = argv }

    /// The command as a shell would need it typed: each word quoted when needed.
    public var commandLine: String { argv.map(ShellQuoting.quote).joined(separator: " ") }

    public var description: String { commandLine }

    enum CodingKeys: String, CodingKey { case argv, commandLine }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        argv = try c.decode([String].self, forKey: .argv)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(argv, forKey: .argv)
        try c.encode(commandLine, forKey: .commandLine)
    }
}

/// One problem the audit found.
public struct AuditFinding: Hashable, Sendable, Codable {
    /// Which rule found it.
    public var rule: AuditRule
    /// How bad it is.
    public var severity: AuditSeverity
    /// The host(s) it concerns (two or more for fleet findings).
    public var hosts: [String]
    /// One sentence naming the objects and what is wrong.
    public var message: String
    /// The objects involved.
    public var objects: [AuditObject]
    /// Suggested commands, in order; empty when no command repairs it.
    public var fix: [AuditFixCommand]

    /// Creates a finding.
    public init(rule: AuditRule, severity: AuditSeverity, hosts: [String], message: String,
                objects: [AuditObject], fix: [AuditFixCommand] = []) {
        self.rule = rule
        self.severity = severity
        self.hosts = hosts
        self.message = message
        self.objects = objects
        self.fix = fix
    }

    /// The rule's family.
    public var category: AuditCategory { rule.category }

    enum CodingKeys: String, CodingKey { case rule, category, severity, hosts, message, objects, fix }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rule = try c.decode(AuditRule.self, forKey: .rule)
        severity = try c.decode(AuditSeverity.self, forKey: .severity)
        hosts = try c.decode([String].self, forKey: .hosts)
        message = try c.decode(String.self, forKey: .message)
        objects = try c.decode([AuditObject].self, forKey: .objects)
        fix = try c.decode([AuditFixCommand].self, forKey: .fix)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(category, forKey: .category)
        try c.encode(severity, forKey: .severity)
        try c.encode(hosts, forKey: .hosts)
        try c.encode(message, forKey: .message)
        try c.encode(objects, forKey: .objects)
        try c.encode(fix, forKey: .fix)
    }
}
