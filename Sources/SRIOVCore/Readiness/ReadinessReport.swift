/// The result of `sriovctl doctor`: every check, the host it ran on, and the verdict.
///
/// Its JSON form is the documented `doctor --json` shape (docs/doctor.md).
public struct ReadinessReport: Hashable, Sendable {
    /// JSON schema version of `doctor --json`.
    public var schemaVersion: Int = 1
    /// What the host is, as the rules saw it.
    public var host: ReadinessHostSummary
    /// Host checks first (IOMMU, interrupts, VFIO), then each PF's checks followed by its VFs'.
    public var checks: [ReadinessCheck]
    /// Odd or unreadable sysfs entries met while reading PFs and VFs.
    public var warnings: [String]

    /// Creates a report.
    public init(host: ReadinessHostSummary, checks: [ReadinessCheck], warnings: [String] = []) {
        self.host = host
        self.checks = checks
        self.warnings = warnings
    }

    /// The worst verdict; `pass` when there are no checks.
    public var status: ReadinessStatus { checks.map(\.status).max() ?? .pass }

    /// The exit code: 0 all pass, 1 warnings only, 2 a failure.
    public var exitCode: Int32 { status.exitCode }

    /// How many checks have `status`.
    public func count(_ status: ReadinessStatus) -> Int { checks.filter { $0.status == status }.count }
}

/// The host facts shown at the top of a report.
public struct ReadinessHostSummary: Hashable, Sendable {
    /// `intel`, `amd`, `power`, `arm`, `other`, `unknown`.
    public var cpuVendor: String
    /// CPU model name, if known.
    public var cpuModel: String?
    /// True when the host is itself a virtual machine.
    public var virtualMachine: Bool
    /// The IOMMU kind (intel, amd, power, other).
    public var iommuKind: IOMMUPlatformGuess.Kind
    /// How the IOMMU kind was decided.
    public var iommuEvidence: String
    /// os-release `ID`, `nil` when unknown.
    public var distribution: String?
    /// os-release `PRETTY_NAME`.
    public var distributionName: String?
    /// Kernel release.
    public var kernelRelease: String?
    /// `/proc/cmdline`, `nil` when unreadable.
    public var kernelCommandLine: String?
    /// How kernel arguments get changed: `grubby`, `grub`, or `unknown`.
    public var bootLoader: String

    /// Summarises a snapshot.
    public init(_ snapshot: ReadinessSnapshot) {
        let platform = snapshot.iommuPlatform
        cpuVendor = snapshot.cpu.vendor.name
        cpuModel = snapshot.cpu.model
        virtualMachine = snapshot.cpu.isVirtualMachine
        iommuKind = platform.kind
        iommuEvidence = platform.evidence
        distribution = snapshot.distribution?.id
        distributionName = snapshot.distribution?.prettyName
        kernelRelease = snapshot.kernelRelease
        kernelCommandLine = snapshot.kernelCommandLine?.text
        bootLoader = snapshot.bootLoader.grubbyPath != nil ? "grubby"
            : snapshot.bootLoader.grubDefaults != nil ? "grub" : "unknown"
    }
}

/// Runs every readiness rule over a snapshot.
public enum ReadinessEvaluator {
    /// The report for `snapshot`. With `pf`, only that PF (netdev name, PCI address or sysfs
    /// name) and its VFs are checked; host checks always run.
    ///
    /// Throws ``SRIOVError/Code/notFound`` naming the known PFs when `pf` matches none.
    public static func evaluate(_ snapshot: ReadinessSnapshot, pf wanted: String? = nil) throws(SRIOVError) -> ReadinessReport {
        var pfs = snapshot.inventory.pfs
        if let wanted { pfs = [try snapshot.inventory.pf(matching: wanted)] }

        var checks = [
            IOMMUEnabledCheck.evaluate(snapshot),
            IOMMUPassthroughCheck.evaluate(snapshot),
            InterruptRemappingCheck.evaluate(snapshot),
            UnsafeInterruptsCheck.evaluate(snapshot),
            VFIOAvailabilityCheck.evaluate(snapshot),
        ]
        for pf in pfs {
            checks += PFChecks.evaluate(pf, snapshot)
            guard pf.kind == .pci else { continue }
            for vf in pf.vfs {
                checks.append(VFIsolationCheck.evaluate(vf, of: pf, snapshot))
            }
        }
        return ReadinessReport(host: ReadinessHostSummary(snapshot), checks: checks, warnings: snapshot.inventory.warnings)
    }
}
