/// The ports through which the core sees and changes the host. Adapters in
/// SRIOVLinux, SRIOVStore and SRIOVLibvirt implement them; SRIOVTesting has fakes.

/// Reads the host's SR-IOV devices from sysfs.
public protocol HostDiscovering: Sendable {
    /// Every SR-IOV PF and VF. Odd entries become warnings, never a thrown error.
    func discover() -> HostInventory
}

/// Reads and programs VFs through the kernel (rtnetlink).
public protocol VFLinkControlling: Sendable {
    /// Reads a PF's link and every VF in one request.
    ///
    /// Throws when the PF is gone, or when the kernel could not report every VF in one
    /// message (the reply holds fewer `IFLA_VF_INFO` entries than `IFLA_NUM_VF`).
    func readPF(_ netdev: String) throws(SRIOVError) -> PFLinkStatus

    /// Applies settings to several VFs of one PF: one request for the whole PF when
    /// possible, per-VF requests to find and name a failing VF otherwise.
    ///
    /// Values must already be validated. Rates are read-modify-write: setting only the
    /// max keeps the current min. The report says which VFs were applied and which
    /// failed; nothing is thrown for per-VF failures.
    func apply(_ changes: [VFChange], on netdev: String) -> VFApplyReport
}

/// One VF's change, as handed to ``VFLinkControlling/apply(_:on:)``.
public struct VFChange: Hashable, Sendable, Codable {
    /// VF index.
    public var index: Int
    /// What to set.
    public var settings: VFSettings

    /// Creates a change.
    public init(index: Int, settings: VFSettings) {
        self.index = index
        self.settings = settings
    }
}

/// The outcome of applying VF changes to one PF.
public struct VFApplyReport: Hashable, Sendable, Codable {
    /// One VF's outcome.
    public struct Outcome: Hashable, Sendable, Codable {
        /// VF index.
        public var index: Int
        /// Fields that are known to be applied (a failing request may have applied some first).
        public var applied: [String]
        /// The error, `nil` on success.
        public var error: SRIOVErrorRecord?
        /// Notes such as "driver refused the zero MAC; used 02:00:00:00:00:00 as libvirt does".
        public var notes: [String]

        /// Creates an outcome.
        public init(index: Int, applied: [String], error: SRIOVErrorRecord? = nil, notes: [String] = []) {
            self.index = index
            self.applied = applied
            self.error = error
            self.notes = notes
        }
    }

    /// PF netdev.
    public var pf: String
    /// Per-VF outcomes, by index.
    public var outcomes: [Outcome]
    /// Netlink requests sent (1 when the whole PF went in one request).
    public var requests: Int

    /// Creates a report.
    public init(pf: String, outcomes: [Outcome], requests: Int) {
        self.pf = pf
        self.outcomes = outcomes
        self.requests = requests
    }

    /// The failures.
    public var failures: [Outcome] { outcomes.filter { $0.error != nil } }
    /// True when every VF was applied.
    public var succeeded: Bool { failures.isEmpty }
}

/// A ``SRIOVError`` in a form that can be stored and encoded.
public struct SRIOVErrorRecord: Hashable, Sendable, Codable {
    /// Error kind.
    public var code: SRIOVError.Code
    /// User-facing message.
    public var message: String
    /// The OS error number behind it, if any (omitted from JSON when there is none).
    public var errno: Int32?

    /// Records an error, keeping its errno.
    public init(_ error: SRIOVError) {
        self.code = error.code
        self.message = error.message
        self.errno = error.errno
    }

    /// The error again, with its errno (so `error.errno == ENODEV` still tells a vanished PF).
    public var error: SRIOVError { SRIOVError(code, message, errno: errno) }
}
