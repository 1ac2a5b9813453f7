/// How to fix what a readiness check found, for this host's distribution and boot loader.
///
/// Advice is text for a person: sriovctl never runs these commands itself.
public struct FixAdvice: Hashable, Sendable {
    /// One line saying what has to change.
    public var summary: String
    /// The steps, in order. A step has a command to type, or only text (a firmware setting).
    public var steps: [FixStep]
    /// True when the change only takes effect after a reboot.
    public var rebootRequired: Bool
    /// True for a suggestion on a passing check (the host works without it).
    public var optional: Bool

    /// Creates advice.
    public init(summary: String, steps: [FixStep], rebootRequired: Bool = false, optional: Bool = false) {
        self.summary = summary
        self.steps = steps
        self.rebootRequired = rebootRequired
        self.optional = optional
    }

    /// Every command of every step, in order (what a user would type).
    public var commands: [String] { steps.compactMap(\.command) }
}

/// One step of a ``FixAdvice``.
public struct FixStep: Hashable, Sendable {
    /// What to do, in words.
    public var text: String
    /// The command line to type, when the step is a command; `nil` for manual steps.
    public var command: String?
    /// A literal line to write into a file (`GRUB_CMDLINE_LINUX="quiet intel_iommu=on"`), when the
    /// step is a file edit; `nil` otherwise.
    public var fileLine: String?

    /// Creates a step.
    public init(_ text: String, command: String? = nil, fileLine: String? = nil) {
        self.text = text
        self.command = command
        self.fileLine = fileLine
    }
}
