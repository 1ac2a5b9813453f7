/// What `sriovctl provision` did (or, with `--dry-run`, would do): per PF and per
/// `max_vfs` module, each step with its outcome, every failure, and timings.
///
/// Its JSON form is `provision --json` (documented in docs/provision.md).
public struct ProvisionReport: Sendable {
    /// True when nothing was changed (`--dry-run`).
    public var dryRun: Bool
    /// The guest restored (`--guest`), `nil` for a full run.
    public var guest: String?
    /// Per PF.
    public var pfs: [PFOutcome]
    /// Per `max_vfs` module.
    public var modules: [ModuleOutcome]
    /// sysfs discovery warnings.
    public var warnings: [String]
    /// Time spent looking at the host before planning.
    public var observeTime: Duration
    /// Time spent looking again, once, at the PFs whose VFs changed (sysfs and netlink).
    public var reobserveTime: Duration
    /// Wall time of the whole run, observation included.
    public var totalTime: Duration

    /// Creates a report.
    public init(dryRun: Bool, guest: String? = nil, pfs: [PFOutcome], modules: [ModuleOutcome], warnings: [String] = [],
                observeTime: Duration = .zero, reobserveTime: Duration = .zero, totalTime: Duration = .zero) {
        self.dryRun = dryRun
        self.guest = guest
        self.pfs = pfs
        self.modules = modules
        self.warnings = warnings
        self.observeTime = observeTime
        self.reobserveTime = reobserveTime
        self.totalTime = totalTime
    }

    /// The report of a dry run: every step planned, nothing done.
    public init(plan: ProvisionPlan, guest: String?, observeTime: Duration = .zero) {
        self.init(dryRun: true, guest: guest,
                  pfs: plan.pfs.map { pf in
                      PFOutcome(plan: pf, steps: pf.steps.map { StepOutcome(step: $0, status: $0.isPending ? .pending : .planned) })
                  },
                  modules: plan.modules.map { module in
                      let errors = [module.refusal, module.reloadRefusal].compactMap { $0 }
                      let status: ProvisionStatus = !errors.isEmpty ? .failed
                          : (module.writeFile || module.reload ? .planned : .asConfigured)
                      return ModuleOutcome(plan: module, status: status, errors: errors)
                  },
                  warnings: plan.warnings, observeTime: observeTime, totalTime: observeTime)
    }

    /// Every failure, PF by PF, then module by module.
    public var failures: [SRIOVError] { pfs.flatMap(\.allErrors) + modules.flatMap(\.errors) }

    /// True when everything asked for was done (or, in a dry run, can be).
    public var succeeded: Bool { failures.isEmpty }

    /// True when no PF and no module needed anything.
    public var nothingToDo: Bool {
        pfs.allSatisfy { $0.status == .asConfigured } && modules.allSatisfy { $0.status == .asConfigured }
    }

    /// VF creation time over all PFs (kernel: `sriov_numvfs` writes and waiting for the VFs).
    public var vfCreationTime: Duration { pfs.reduce(.zero) { $0 + $1.vfCreationTime } }
    /// vfio-pci binding time over all PFs.
    public var vfioTime: Duration { pfs.reduce(.zero) { $0 + $1.vfioTime } }
    /// VF programming time (netlink) over all PFs.
    public var programmingTime: Duration { pfs.reduce(.zero) { $0 + $1.programmingTime } }
    /// Netlink requests sent to program VFs.
    public var netlinkRequests: Int { pfs.reduce(0) { $0 + $1.netlinkRequests } }
}

/// How a PF or module came out.
public enum ProvisionStatus: String, Hashable, Sendable, Codable {
    /// Nothing needed doing.
    case asConfigured = "as-configured"
    /// Dry run: steps would be done.
    case planned
    /// Steps were done, all succeeded.
    case changed
    /// Waits for a module reload or reboot; nothing failed.
    case pending
    /// Something failed or was refused.
    case failed
}

/// How one step came out.
public enum StepStatus: String, Hashable, Sendable, Codable {
    /// Dry run.
    case planned
    /// Done.
    case done
    /// Tried; failed (fully or for some VFs).
    case failed
    /// Not tried, because an earlier step of the PF failed.
    case skipped
    /// Waits for something outside this run.
    case pending
}

/// One step's outcome.
public struct StepOutcome: Sendable {
    /// The step (as finally run: VF steps are planned again once new VFs exist).
    public var step: ProvisionStep
    /// Its outcome.
    public var status: StepStatus
    /// What failed.
    public var errors: [SRIOVError]
    /// Notes (a driver enabled fewer VFs, a placeholder MAC was used...).
    public var notes: [String]
    /// How long it took, `nil` when not run.
    public var duration: Duration?
    /// Netlink requests sent (VF programming only).
    public var requests: Int

    /// Creates an outcome.
    public init(step: ProvisionStep, status: StepStatus, errors: [SRIOVError] = [], notes: [String] = [],
                duration: Duration? = nil, requests: Int = 0) {
        self.step = step
        self.status = status
        self.errors = errors
        self.notes = notes
        self.duration = duration
        self.requests = requests
    }
}

/// One PF's outcome.
public struct PFOutcome: Sendable {
    /// `eth0 (0000:0b:00.0)`.
    public var name: String
    /// The config's selector, `nil` for a restore-only PF.
    public var selector: PFSelector?
    /// `file:line` of the config entry.
    public var source: String?
    /// PCI address or sysfs device name.
    public var device: String?
    /// Netdev.
    public var netdev: String?
    /// Steps in the order run.
    public var steps: [StepOutcome]
    /// Failures outside any step: the planning refusal and problems known in advance.
    public var errors: [SRIOVError]
    /// Notes.
    public var notes: [String]

    /// Creates an outcome from a PF plan.
    public init(plan: PFPlan, steps: [StepOutcome], extraErrors: [SRIOVError] = []) {
        self.name = plan.name
        self.selector = plan.selector
        self.source = plan.source
        self.device = plan.device
        self.netdev = plan.netdev
        self.steps = steps
        self.errors = [plan.refusal].compactMap { $0 } + plan.problems + extraErrors
        self.notes = plan.notes
    }

    /// The plan's and every step's failures.
    public var allErrors: [SRIOVError] { errors + steps.flatMap(\.errors) }

    /// The PF's overall status.
    public var status: ProvisionStatus {
        if !allErrors.isEmpty { return .failed }
        if steps.contains(where: { $0.status == .pending }) { return .pending }
        if steps.contains(where: { $0.status == .planned }) { return .planned }
        if steps.contains(where: { $0.status == .done }) { return .changed }
        return .asConfigured
    }

    /// Time in `sriov_numvfs` writes, module reloads and waiting for VFs.
    public var vfCreationTime: Duration { time { if case .numVFs = $0 { true } else if case .moduleReload = $0 { true } else { false } } }
    /// Time binding VFs to vfio-pci.
    public var vfioTime: Duration { time { if case .bindVFIO = $0 { true } else { false } } }
    /// Time programming VFs over netlink.
    public var programmingTime: Duration { time { if case .programVFs = $0 { true } else { false } } }
    /// Netlink requests sent.
    public var netlinkRequests: Int { steps.reduce(0) { $0 + $1.requests } }

    private func time(_ include: (ProvisionStep) -> Bool) -> Duration {
        steps.filter { include($0.step) }.reduce(.zero) { $0 + ($1.duration ?? .zero) }
    }
}

/// One `max_vfs` module's outcome.
public struct ModuleOutcome: Sendable {
    /// The plan.
    public var plan: ModuleOptionsPlan
    /// Overall status.
    public var status: ProvisionStatus
    /// Failures (refusals included).
    public var errors: [SRIOVError]
    /// Time spent writing the file and reloading.
    public var duration: Duration?

    /// Creates an outcome.
    public init(plan: ModuleOptionsPlan, status: ProvisionStatus, errors: [SRIOVError] = [], duration: Duration? = nil) {
        self.plan = plan
        self.status = status
        self.errors = errors
        self.duration = duration
    }
}
