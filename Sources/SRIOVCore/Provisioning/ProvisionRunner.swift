/// Carries out a ``ProvisionPlan``: `max_vfs` modules first, then each PF's steps in order.
///
/// One PF failing does not stop the others: a failing step skips the rest of its PF
/// only when they cannot work without it (no VFs were created), and every failure ends
/// up in the ``ProvisionReport``. Once a PF's VFs have been (re)created, its vfio-pci and
/// VF-settings steps are planned again from a fresh look at the PF, so new VFs get their
/// IOMMU group check and full settings.
public struct ProvisionRunner: Sendable {
    /// Looks at PFs again after their VFs changed.
    public var observer: ProvisionObserver
    /// sysfs writes.
    public var devices: any SRIOVDeviceControlling
    /// modprobe.d and module reloads.
    public var modules: any KernelModuleControlling
    /// rtnetlink; `nil` with `--no-netlink` (VF programming then fails, naming why).
    public var links: (any VFLinkControlling)?

    /// Creates a runner.
    public init(observer: ProvisionObserver, devices: any SRIOVDeviceControlling, modules: any KernelModuleControlling,
                links: (any VFLinkControlling)?) {
        self.observer = observer
        self.devices = devices
        self.modules = modules
        self.links = links
    }

    /// Runs `plan`. `assigned` is what planning used; `observeTime` goes into the report.
    public func run(_ plan: ProvisionPlan, assigned: [AssignedVF], options: ProvisionOptions,
                    observeTime: Duration = .zero) -> ProvisionReport {
        let clock = ContinuousClock()
        let start = clock.now
        var reloaded: Set<String> = []
        let moduleOutcomes = plan.modules.map { module -> ModuleOutcome in
            let outcome = run(module)
            if module.reload && outcome.errors.isEmpty { reloaded.insert(module.module.module) }
            return outcome
        }
        // Phase 1, PF by PF: autoprobe, VF count, module reloads. Then one look at every PF
        // whose VFs changed, and phase 2: vfio-pci binding and VF settings, planned again for
        // the new VFs.
        var runs = plan.pfs.map { PFRun(plan: $0, assigned: assigned, guest: options.guest) }
        for i in runs.indices {
            runSteps(&runs[i], phase1: true, reloadedModules: reloaded, options: options)
        }
        let changed = runs.filter(\.vfsChanged).compactMap(\.plan.device)
        var reobserveTime = Duration.zero
        if !changed.isEmpty {
            let lookStart = clock.now
            let vfio = Set(runs.filter { $0.vfsChanged && $0.plan.config?.vfio == true }.compactMap(\.plan.device))
            let fresh = observer.observe(devices: Set(changed), withGroups: vfio)
            reobserveTime = clock.now - lookStart
            for i in runs.indices where runs[i].vfsChanged {
                replan(&runs[i], fresh: runs[i].plan.device.flatMap { fresh[$0] })
            }
        }
        for i in runs.indices {
            runSteps(&runs[i], phase1: false, reloadedModules: reloaded, options: options)
        }
        return ProvisionReport(dryRun: false, guest: options.guest,
                               pfs: runs.map { PFOutcome(plan: $0.plan, steps: $0.done, extraErrors: $0.extraErrors) },
                               modules: moduleOutcomes, warnings: plan.warnings, observeTime: observeTime,
                               reobserveTime: reobserveTime, totalTime: observeTime + (clock.now - start))
    }

    // MARK: Modules

    private func run(_ plan: ModuleOptionsPlan) -> ModuleOutcome {
        if let refusal = plan.refusal { return ModuleOutcome(plan: plan, status: .failed, errors: [refusal]) }
        let clock = ContinuousClock()
        let start = clock.now
        var errors: [SRIOVError] = []
        var changed = false
        if plan.writeFile, let contents = plan.contents {
            do {
                try modules.writeModprobeFile(module: plan.module.module, contents: contents)
                changed = true
            } catch {
                errors.append(error)
            }
        }
        if plan.reload && errors.isEmpty {
            do {
                try modules.reload(module: plan.module.module)
                changed = true
            } catch {
                errors.append(error)
            }
        }
        if let refusal = plan.reloadRefusal { errors.append(refusal) }
        let status: ProvisionStatus = !errors.isEmpty ? .failed : (changed ? .changed : .asConfigured)
        return ModuleOutcome(plan: plan, status: status, errors: errors, duration: clock.now - start)
    }

    // MARK: PFs

    /// One PF's progress through its steps.
    private struct PFRun {
        var plan: PFPlan
        /// Guests' VFs on this PF (only the guest's with `--guest`).
        var mine: [AssignedVF]
        var pending: [ProvisionStep]
        var done: [StepOutcome] = []
        var extraErrors: [SRIOVError] = []
        /// A step failed that the rest depends on: everything after it is skipped.
        var stop = false
        /// VFs were created or recreated: their steps are planned again before phase 2.
        var vfsChanged = false

        init(plan: PFPlan, assigned: [AssignedVF], guest: String?) {
            self.plan = plan
            self.mine = assigned.filter { vf in
                plan.device.map { vf.belongs(toDevice: $0, permanentMAC: nil) } ?? false
                    && (guest == nil || vf.guest == guest)
            }
            self.pending = plan.steps
            if plan.refusal != nil {
                done = plan.steps.map { StepOutcome(step: $0, status: .skipped) }
                pending = []
            }
        }
    }

    /// Runs the PF's steps: in phase 1 those before the first VF-dependent step, in phase 2 the rest.
    private func runSteps(_ run: inout PFRun, phase1: Bool, reloadedModules: Set<String>, options: ProvisionOptions) {
        let plan = run.plan
        while let step = run.pending.first, !(phase1 && step.dependsOnVFs) {
            run.pending.removeFirst()
            if run.stop {
                run.done.append(StepOutcome(step: step, status: .skipped))
                continue
            }
            var outcome: StepOutcome
            switch step {
            case .driversAutoprobe(_, let to):
                outcome = timed(step) { () throws(SRIOVError) in
                    guard let pf = plan.pf else { throw gone(plan) }
                    try devices.setDriversAutoprobe(to, on: pf)
                }
                run.stop = outcome.status == .failed
            case .numVFs(let from, let to, _):
                outcome = runNumVFs(step, plan: plan, from: from, to: to, timeout: options.vfWaitTimeout)
                let changed = outcome.status != .failed || outcome.notes.contains(StepNote.vfsChanged)
                outcome.notes.removeAll { $0 == StepNote.vfsChanged }
                run.vfsChanged = run.vfsChanged || changed
                run.stop = !changed
            case .moduleReload(let module, _, let to, let reloading):
                guard reloading else {
                    outcome = StepOutcome(step: step, status: .pending)
                    break
                }
                guard reloadedModules.contains(module) else {
                    outcome = StepOutcome(step: step, status: .failed, errors: [SRIOVError(.system,
                        "\(plan.name): module \(module) was not reloaded (see its error); VFs not created")])
                    run.stop = true
                    break
                }
                outcome = timed(step) { () throws(SRIOVError) in
                    guard let pf = plan.pf else { throw gone(plan) }
                    try devices.waitForVFs(to, of: pf, timeout: options.vfWaitTimeout)
                }
                run.vfsChanged = true
            case .bindVFIO(let set):
                outcome = runVFIO(step, set: set, plan: plan)
            case .programVFs(let set):
                outcome = runProgramming(step, set: set, plan: plan)
            }
            run.done.append(outcome)
        }
    }

    /// Replaces the VF-dependent steps of a PF whose VFs changed with steps planned from
    /// `fresh` (the PF as it is now; `nil` when it is gone).
    private func replan(_ run: inout PFRun, fresh: ObservedPF?) {
        run.pending.removeAll { $0.dependsOnVFs }
        guard let fresh else {
            run.extraErrors.append(gone(run.plan))
            return
        }
        let again = ProvisionPlanner.vfSteps(config: run.plan.config, observed: fresh, assigned: run.mine, creating: nil)
        run.pending += again.steps
        let known = run.plan.problems.map(\.message)
        run.extraErrors += again.problems.filter { !known.contains($0.message) }
    }

    private enum StepNote {
        /// Marks a failed `sriov_numvfs` step after which VFs exist anyway (fewer than asked,
        /// or not all appeared in time): the VF steps still run.
        static let vfsChanged = "\u{0}vfs-changed"
    }

    private func runNumVFs(_ step: ProvisionStep, plan: PFPlan, from: Int?, to: Int, timeout: Duration) -> StepOutcome {
        measured(step) { outcome in
            guard let pf = plan.pf else {
                outcome.status = .failed
                outcome.errors.append(gone(plan))
                return
            }
            do throws(SRIOVError) {
                if from != 0 && to != 0 {
                    try devices.writeNumVFs(0, on: pf)
                }
                try devices.writeNumVFs(to, on: pf)
            } catch {
                outcome.status = .failed
                outcome.errors.append(error)
                return
            }
            var enabled = to
            do throws(SRIOVError) {
                enabled = try devices.readNumVFs(of: pf)
                if enabled != to {
                    outcome.errors.append(SRIOVError(.system, "\(plan.name): asked for \(to) VFs, the driver enabled \(enabled) "
                                                     + "(sriov_numvfs reads \(enabled))"))
                }
            } catch {
                outcome.errors.append(error)
            }
            if enabled > 0 {
                do throws(SRIOVError) {
                    try devices.waitForVFs(enabled, of: pf, timeout: timeout)
                } catch {
                    outcome.errors.append(error)
                }
            }
            if !outcome.errors.isEmpty {
                outcome.status = .failed
                outcome.notes.append(StepNote.vfsChanged)
            }
        }
    }

    private func runVFIO(_ step: ProvisionStep, set: VFIOBindingSet, plan: PFPlan) -> StepOutcome {
        measured(step) { outcome in
            if set.afterCreation != nil {
                outcome.errors.append(SRIOVError(.system, "\(plan.name): the new VFs could not be looked at; not bound to vfio-pci"))
            }
            for binding in set.vfs {
                do throws(SRIOVError) {
                    try devices.bindVFIO(binding.pciAddress)
                } catch {
                    outcome.errors.append(SRIOVError("\(plan.name) VF \(binding.index): \(error.message)", causedBy: error))
                }
            }
            if !outcome.errors.isEmpty { outcome.status = .failed }
        }
    }

    private func runProgramming(_ step: ProvisionStep, set: VFProgrammingSet, plan: PFPlan) -> StepOutcome {
        measured(step) { outcome in
            guard let netdev = plan.netdev else {
                outcome.status = .failed
                outcome.errors.append(SRIOVError(.notSupported, "\(plan.name): no netdev to program VFs through"))
                return
            }
            guard let links else {
                outcome.status = .failed
                outcome.errors.append(SRIOVError(.notSupported, "\(plan.name): VF settings not programmed (--no-netlink)"))
                return
            }
            let report = links.apply(set.vfs.map { VFChange(index: $0.index, settings: $0.settings) }, on: netdev)
            outcome.requests = report.requests
            for vf in report.outcomes {
                if let error = vf.error { outcome.errors.append(error.error) }
                outcome.notes += vf.notes
            }
            if !outcome.errors.isEmpty { outcome.status = .failed }
        }
    }

    // MARK: Helpers

    private func timed(_ step: ProvisionStep, _ body: () throws(SRIOVError) -> Void) -> StepOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            try body()
            return StepOutcome(step: step, status: .done, duration: clock.now - start)
        } catch {
            return StepOutcome(step: step, status: .failed, errors: [error], duration: clock.now - start)
        }
    }

    /// Runs a step that may record several errors: `body` fills the outcome (status `.done`
    /// to start with), and the duration is set on every path, early returns included.
    private func measured(_ step: ProvisionStep, _ body: (inout StepOutcome) -> Void) -> StepOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        var outcome = StepOutcome(step: step, status: .done)
        body(&outcome)
        outcome.duration = clock.now - start
        return outcome
    }

    private func gone(_ plan: PFPlan) -> SRIOVError {
        SRIOVError(.notFound, "\(plan.name): the PF is no longer there")
    }
}
