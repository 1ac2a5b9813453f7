/// Creates and programs VFs as the config says, and gives guests' VFs their settings back:
/// the one entry point every front end (the CLI's `provision`, the agent's reconciler) calls.
///
/// Two steps, so that a front end can show the plan before anything changes:
/// ``prepare(config:store:options:dryRun:)`` repairs interrupted attaches and detaches,
/// observes the host and plans; ``apply(_:)`` carries the plan out and observes again.
/// ``provision(config:store:options:)`` does both. Neither serialises operations: a front
/// end holds the host's operation lock around a real run (the CLI's `HostServices`).
public struct ProvisioningService: Sendable {
    /// What ``prepare(config:store:options:dryRun:)`` found and planned.
    public struct Prepared: Sendable {
        /// The plan.
        public var plan: ProvisionPlan
        /// The plan as a report (what a dry run prints).
        public var report: ProvisionReport
        /// The guests' VFs the plan gives their settings back.
        public var assigned: [AssignedVF]
        /// The options planned with.
        public var options: ProvisionOptions
        /// How long observing the host took.
        public var observeTime: Duration

        /// True when ``apply(_:)`` has nothing to do (every step done or not needed).
        public var nothingToDo: Bool { report.nothingToDo }
        /// True when a PF step or a module change is waiting to be carried out.
        public var hasPlannedSteps: Bool {
            report.pfs.contains { $0.steps.contains { $0.status == .planned } }
                || report.modules.contains { $0.status == .planned }
        }
    }

    /// sysfs discovery.
    public var discovery: any HostDiscovering
    /// rtnetlink; `nil` when a front end may not use netlink (VF settings then cannot be
    /// read or programmed, and no crash repair runs).
    public var links: (any VFLinkControlling)?
    /// sysfs writes (VF count, autoprobe, vfio-pci).
    public var devices: any SRIOVDeviceControlling
    /// modprobe.d and module reloads.
    public var modules: any KernelModuleControlling
    /// Host interface MACs and IOMMU bindings (for crash repair).
    public var hostDevices: any HostDeviceInspecting
    /// Whether the owner of an interrupted operation still runs (for crash repair).
    public var liveness: any ProcessLiveness

    /// Creates the service over the host's ports.
    public init(discovery: any HostDiscovering, links: (any VFLinkControlling)?, devices: any SRIOVDeviceControlling,
                modules: any KernelModuleControlling, hostDevices: any HostDeviceInspecting,
                liveness: any ProcessLiveness) {
        self.discovery = discovery
        self.links = links
        self.devices = devices
        self.modules = modules
        self.hostDevices = hostDevices
        self.liveness = liveness
    }

    private var observer: ProvisionObserver {
        ProvisionObserver(discovery: discovery, links: links, devices: devices, modules: modules)
    }

    /// Repairs, observes and plans; changes nothing else. `store` is the state database
    /// (`nil`: none exists, so no guest has a VF, and none is created). A full run (not
    /// `dryRun`, no ``ProvisionOptions/guest``, with netlink) first repairs what a crashed
    /// attach or detach left; its lines become the plan's first warnings
    /// (`repaired: …`, `not repaired: …`).
    public func prepare(config: HostConfig, store: (any StateStoring)?, options: ProvisionOptions,
                        dryRun: Bool = false) throws(SRIOVError) -> Prepared {
        var assigned: [AssignedVF] = []
        var repairNotes: [String] = []
        if let store {
            if !dryRun && options.guest == nil && options.repairInterrupted, let links {
                let repair = IntentRepair(store: store, links: links, discovery: discovery, devices: hostDevices,
                                          liveness: liveness)
                let report = try repair.run()
                repairNotes = report.repaired.map { "repaired: \($0)" } + report.failures.map { "not repaired: \($0)" }
            }
            assigned = try StoredAssignedVFs(store: store).assignedVFs()
        }
        let clock = ContinuousClock()
        let start = clock.now
        let observation = observer.observe(config: config)
        var plan = ProvisionPlanner.plan(config: config, observation: observation, assigned: assigned, options: options)
        plan.warnings = repairNotes + plan.warnings
        let observeTime = clock.now - start
        return Prepared(plan: plan, report: ProvisionReport(plan: plan, guest: options.guest, observeTime: observeTime),
                        assigned: assigned, options: options, observeTime: observeTime)
    }

    /// Carries out a prepared plan: modules first, then each PF's steps; one PF failing
    /// does not stop the others. Every failure is in the report.
    public func apply(_ prepared: Prepared) -> ProvisionReport {
        ProvisionRunner(observer: observer, devices: devices, modules: modules, links: links)
            .run(prepared.plan, assigned: prepared.assigned, options: prepared.options,
                 observeTime: prepared.observeTime)
    }

    /// ``prepare(config:store:options:dryRun:)`` then, unless there is nothing to do,
    /// ``apply(_:)``: the outcome, or the plan's report when nothing was to be done.
    public func provision(config: HostConfig, store: (any StateStoring)?,
                          options: ProvisionOptions) throws(SRIOVError) -> ProvisionReport {
        let prepared = try prepare(config: config, store: store, options: options)
        return prepared.nothingToDo ? prepared.report : apply(prepared)
    }
}
