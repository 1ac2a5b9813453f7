/// Turns the config, the state database's assigned VFs and what the host shows now into
/// a ``ProvisionPlan``. Pure: it reads nothing and changes nothing.
///
/// Per configured PF, in order: `sriov_drivers_autoprobe`, `sriov_numvfs` (or the
/// `max_vfs` module option), vfio-pci binding, then VF settings (the config's defaults,
/// a network's defaults on the VFs of its range (``NetworkPoolSettings``), the per-VF
/// overrides, with each assigned VF's guest settings on top) in one netlink batch.
/// A PF that cannot be provisioned gets a refusal naming the config's `file:line`; the
/// other PFs are planned as usual.
public enum ProvisionPlanner {
    /// Plans everything (or, with ``ProvisionOptions/guest``, one guest's VF settings).
    public static func plan(config: HostConfig, observation: ProvisionObservation, assigned: [AssignedVF],
                            options: ProvisionOptions) -> ProvisionPlan {
        var plan = ProvisionPlan(warnings: observation.warnings)
        var claimed: [String: String] = [:]   // device -> source of the entry that took it
        // In config order: a refusal already made, or a PF to plan.
        var entries: [(refused: PFPlan?, config: PFConfig, observed: ObservedPF?)] = []

        for pfConfig in config.pfs {
            let source = pfConfig.source ?? "config"
            guard let index = PFMatcher.index(of: pfConfig.selector, in: observation.pfs) else {
                entries.append((PFPlan(name: pfConfig.selector.description, selector: pfConfig.selector,
                                       source: pfConfig.source, config: pfConfig,
                                       refusal: PFMatcher.notFound(pfConfig.selector, source: pfConfig.source,
                                                                   in: observation.pfs)), pfConfig, nil))
                continue
            }
            let observed = observation.pfs[index]
            if let earlier = claimed[observed.device] {
                var pfPlan = skeleton(pfConfig, observed)
                pfPlan.refusal = SRIOVError(.invalidConfig, "\(source): PF \(pfConfig.selector) is \(observed.label), "
                                            + "which is already declared at \(earlier)")
                entries.append((pfPlan, pfConfig, nil))
                continue
            }
            claimed[observed.device] = source
            entries.append((nil, NetworkPoolSettings.apply(config.networks, to: pfConfig, observed: observed,
                                                           in: observation.pfs, notes: &plan.warnings), observed))
        }
        let matched = entries.compactMap { entry in entry.observed.map { (config: entry.config, observed: $0) } }

        let modulePlans = options.guest == nil
            ? planModules(matched: matched, observation: observation, assigned: assigned, options: options) : []
        plan.modules = modulePlans

        for entry in entries {
            guard let observed = entry.observed else {
                if options.guest == nil, let refused = entry.refused { plan.pfs.append(refused) }
                continue
            }
            let pfConfig = entry.config
            let mine = assigned.filter { $0.belongs(toDevice: observed.device, permanentMAC: observed.permanentMAC) }
            if let guest = options.guest {
                let theirs = mine.filter { $0.guest == guest }
                if !theirs.isEmpty { plan.pfs.append(planGuest(observed, assigned: theirs, config: pfConfig)) }
                continue
            }
            let modulePlan = modulePlans.first { $0.module.driver == observed.pf.driver }
            plan.pfs.append(planPF(pfConfig, observed, assigned: mine, module: modulePlan?.module.module,
                                   reloading: modulePlan?.reload ?? false, options: options))
        }

        // Guests' VFs on PFs the config does not provision: restore their settings only.
        let unclaimed = assigned.filter { claimed[$0.pfDevice] == nil && (options.guest == nil || $0.guest == options.guest) }
        for device in Set(unclaimed.map(\.pfDevice)).sorted() {
            let theirs = unclaimed.filter { $0.pfDevice == device }
            plan.pfs.append(planRestoreOnly(device: device, assigned: theirs, observation: observation))
        }
        return plan
    }

    // MARK: One configured PF

    private static func skeleton(_ pfConfig: PFConfig, _ observed: ObservedPF) -> PFPlan {
        PFPlan(name: observed.label, selector: pfConfig.selector, source: pfConfig.source, device: observed.device,
               netdev: observed.pf.netdev, config: pfConfig, pf: observed.pf)
    }

    private static func planPF(_ pfConfig: PFConfig, _ observed: ObservedPF, assigned: [AssignedVF], module: String?,
                               reloading: Bool,
                               options: ProvisionOptions) -> PFPlan {
        var plan = skeleton(pfConfig, observed)
        let pf = observed.pf
        let at = "\(pfConfig.source ?? "config"): PF \(observed.label)"
        let wanted = pfConfig.numVFs

        if let total = pf.totalVFs, wanted > total {
            plan.refusal = SRIOVError(.invalidConfig, "\(at): num_vfs \(wanted) is more than sriov_totalvfs \(total)")
            return plan
        }
        if pfConfig.vfio && pf.kind != .pci {
            plan.refusal = SRIOVError(.invalidConfig, "\(at): vfio: true needs PCI VFs, but \(pf.sysfsDevice) is a "
                                      + "\(pf.kind.rawValue) device whose VFs are not PCI functions")
            return plan
        }
        if pfConfig.method == .maxVFs {
            if pf.kind != .pci {
                plan.refusal = SRIOVError(.invalidConfig, "\(at): method max_vfs needs a PCI PF with a driver; "
                                          + "\(pf.sysfsDevice) is a \(pf.kind.rawValue) device (use method: sysfs)")
                return plan
            }
            if pf.driver == nil {
                plan.refusal = SRIOVError(.invalidConfig, "\(at): method max_vfs needs the PF's driver, "
                                          + "but no driver is bound to it (load the driver first)")
                return plan
            }
        }
        let needsNetlink = !pfConfig.vfDefaults.isEmpty || pfConfig.vfOverrides.values.contains { !$0.isEmpty }
            || assigned.contains { !$0.settings.isEmpty }
        if needsNetlink && pf.netdev == nil {
            plan.refusal = SRIOVError(.invalidConfig, "\(at): the PF has no network interface, so VF settings "
                                      + "(vf_defaults, vfs, guests' MACs) cannot be programmed over netlink")
            return plan
        }

        if let autoprobe = pfConfig.driversAutoprobe {
            if pf.driversAutoprobe == nil {
                plan.notes.append("no sriov_drivers_autoprobe on \(pf.sysfsDevice); drivers_autoprobe ignored")
            } else if pf.driversAutoprobe != autoprobe {
                plan.steps.append(.driversAutoprobe(from: pf.driversAutoprobe, to: autoprobe))
            }
        }

        // VF count. `creating` is the number of VFs that will exist, fresh, when the count changes.
        var creating: Int?
        switch pfConfig.method {
        case .sysfs:
            if pf.numVFs != wanted {
                let destroyed = (pf.numVFs ?? 0) > 0 ? assigned.filter { $0.vfIndex < (pf.numVFs ?? 0) } : []
                if !destroyed.isEmpty && !options.force {
                    plan.refusal = SRIOVError(.busy, "\(at): changing sriov_numvfs \(pf.numVFs.map(String.init) ?? "(unread)") → "
                        + "\(wanted) destroys every VF, and " + destroyed.map { "VF \($0.vfIndex) is assigned to \($0.guest)" }
                            .joined(separator: ", ")
                        + "; detach the guests first, or use --force")
                    return plan
                }
                plan.steps.append(.numVFs(from: pf.numVFs, to: wanted, destroyed: destroyed))
                creating = wanted
            }
        case .maxVFs:
            if pf.numVFs != wanted {
                plan.steps.append(.moduleReload(module: module ?? pf.driver ?? "(the PF's driver module)", from: pf.numVFs, to: wanted,
                                                reloading: reloading))
                guard reloading else {
                    plan.notes.append("VF settings are programmed once the VFs exist (after the module reload or reboot)")
                    return plan
                }
                creating = wanted
            }
        }

        let count = creating ?? (pf.numVFs ?? 0)
        for vf in assigned where vf.vfIndex >= count {
            plan.problems.append(SRIOVError(.notFound, "\(at): VF \(vf.vfIndex) is assigned to \(vf.guest), but the PF "
                                            + "will have \(count) VF\(count == 1 ? "" : "s"); its settings cannot be restored"))
        }
        appendVFSteps(to: &plan, config: pfConfig, observed: observed, assigned: assigned, creating: creating)
        return plan
    }

    /// The VFIO and VF-settings steps for `observed`. With `creating`, the VFs are about to
    /// be made (their state and PCI addresses are not known yet); otherwise the VFs that
    /// exist are compared with what they should be.
    public static func vfSteps(config pfConfig: PFConfig?, observed: ObservedPF, assigned: [AssignedVF],
                               creating: Int?) -> (steps: [ProvisionStep], problems: [SRIOVError]) {
        var plan = PFPlan(name: observed.label, source: pfConfig?.source)
        appendVFSteps(to: &plan, config: pfConfig, observed: observed, assigned: assigned, creating: creating)
        return (plan.steps, plan.problems)
    }

    private static func appendVFSteps(to plan: inout PFPlan, config pfConfig: PFConfig?, observed: ObservedPF,
                                      assigned: [AssignedVF], creating: Int?) {
        let pf = observed.pf
        let at = "\(plan.source.map { "\($0): " } ?? "")PF \(observed.label)"
        let count = creating ?? (pf.numVFs ?? 0)

        if pfConfig?.vfio == true {
            if let creating {
                if creating > 0 { plan.steps.append(.bindVFIO(VFIOBindingSet(afterCreation: creating))) }
            } else {
                var bindings: [VFIOBinding] = []
                let binding = Set(pf.vfs.filter { $0.index < count && $0.driver != "vfio-pci" }
                    .compactMap { $0.pciAddress?.description })
                for vf in pf.vfs where vf.index < count && vf.driver != "vfio-pci" {
                    guard let address = vf.pciAddress else { continue }
                    let members = vf.iommuGroup.flatMap { observed.iommuGroups[$0] } ?? []
                    let blocking = members.filter {
                        $0.device != address.description && !binding.contains($0.device) && $0.blocksPassthrough
                    }
                    if blocking.isEmpty {
                        bindings.append(VFIOBinding(index: vf.index, pciAddress: address, currentDriver: vf.driver))
                    } else {
                        let ownPF = pf.pciAddress?.description
                        let names = blocking.map { member in
                            member.device == ownPF ? "its own PF \(member.device) (bound to \(member.driver ?? "no driver"))"
                                : "\(member.device) (bound to \(member.driver ?? "an unnamed host driver"))"
                        }.joined(separator: ", ")
                        let advice = blocking.contains { $0.device == ownPF }
                            ? "the PF must keep its driver, so no VF of it can be passed through from this group "
                                + "(a slot whose root port supports ACS separates them)"
                            : "a guest can only get the whole group, so move those devices off their host drivers first"
                        plan.problems.append(SRIOVError(.busy, "\(at): VF \(vf.index) (\(address)) not bound to vfio-pci: "
                            + "its IOMMU group" + (vf.iommuGroup.map { " \($0)" } ?? "") + " also holds \(names); \(advice)"))
                    }
                }
                if !bindings.isEmpty { plan.steps.append(.bindVFIO(VFIOBindingSet(vfs: bindings))) }
            }
        }

        let live = creating == nil ? observed.linkStatus : nil
        if creating == nil, let error = observed.linkError, needsSettings(pfConfig, assigned) {
            plan.notes.append("live VF settings unknown (\(error.message)); full settings are sent")
        }
        appendProgramming(to: &plan, config: pfConfig, observed: observed, assigned: assigned,
                          indexes: Array(0..<max(count, 0)), live: live)
    }

    /// Adds one `programVFs` step for `indexes`: the config's settings with each assigned
    /// VF's guest settings on top, minus what the live state already has.
    private static func appendProgramming(to plan: inout PFPlan, config pfConfig: PFConfig?, observed: ObservedPF,
                                          assigned: [AssignedVF], indexes: [Int], live: PFLinkStatus?) {
        var entries: [VFProgramming] = []
        for index in indexes {
            var desired = pfConfig?.settings(forVF: index) ?? VFSettings()
            let assignment = assigned.first { $0.vfIndex == index }
            if let assignment { desired = desired.merging(assignment.settings) }
            guard !desired.isEmpty else { continue }
            do {
                try desired.validate(vfIndex: index, pf: observed.label)
            } catch {
                plan.problems.append(error)
                continue
            }
            if let live, let state = live.vf(index) {
                if let difference = desired.difference(from: state) {
                    entries.append(VFProgramming(index: index, guest: assignment?.guest, settings: difference))
                }
            } else {
                entries.append(VFProgramming(index: index, guest: assignment?.guest, settings: desired))
            }
        }
        if !entries.isEmpty {
            plan.steps.append(.programVFs(VFProgrammingSet(vfs: entries, liveStateKnown: live != nil)))
        }
    }

    private static func needsSettings(_ pfConfig: PFConfig?, _ assigned: [AssignedVF]) -> Bool {
        !(pfConfig?.vfDefaults.isEmpty ?? true) || !(pfConfig?.vfOverrides.isEmpty ?? true) || !assigned.isEmpty
    }

    // MARK: Guest mode and restore-only PFs

    private static func planGuest(_ observed: ObservedPF, assigned: [AssignedVF], config: PFConfig?) -> PFPlan {
        var plan = PFPlan(name: observed.label, selector: config?.selector, source: config?.source,
                          device: observed.device, netdev: observed.pf.netdev, config: config, pf: observed.pf)
        restoreSteps(into: &plan, observed: observed, assigned: assigned, config: config)
        return plan
    }

    private static func planRestoreOnly(device: String, assigned: [AssignedVF],
                                        observation: ProvisionObservation) -> PFPlan {
        let guests = Set(assigned.map(\.guest)).sorted().joined(separator: ", ")
        guard let observed = observation.pf(device: device) else {
            return PFPlan(name: device, device: device, refusal: SRIOVError(.notFound,
                "PF \(device): not found on this host; the VFs of \(guests) on it cannot be restored"))
        }
        var plan = PFPlan(name: observed.label, device: device, netdev: observed.pf.netdev, pf: observed.pf)
        let compatible = assigned.filter { $0.belongs(toDevice: device, permanentMAC: observed.permanentMAC) }
        for vf in assigned where !compatible.contains(vf) {
            plan.problems.append(SRIOVError(.notFound, "PF \(observed.label): its permanent MAC is "
                + "\(observed.permanentMAC?.description ?? "no permanent MAC"), but \(vf.guest)'s VF \(vf.vfIndex) was recorded on a PF "
                + "with \(vf.pfPermanentMAC?.description ?? "no permanent MAC") (card replaced?); not restored"))
        }
        restoreSteps(into: &plan, observed: observed, assigned: compatible, config: nil)
        return plan
    }

    private static func restoreSteps(into plan: inout PFPlan, observed: ObservedPF, assigned: [AssignedVF],
                                     config: PFConfig?) {
        let count = observed.pf.numVFs ?? 0
        if observed.pf.netdev == nil, assigned.contains(where: { !$0.settings.isEmpty }) {
            plan.refusal = SRIOVError(.notSupported, "PF \(observed.label) has no network interface; "
                                      + "guests' VF settings cannot be programmed")
            return
        }
        var present: [AssignedVF] = []
        for vf in assigned {
            if vf.vfIndex < count {
                present.append(vf)
            } else {
                plan.problems.append(SRIOVError(.notFound, "PF \(observed.label): \(vf.guest)'s VF \(vf.vfIndex) does not "
                    + "exist (the PF has \(count) VF\(count == 1 ? "" : "s")); run `sriovctl provision` to create them"))
            }
        }
        // Only the guests' VFs: other VFs get no config defaults in this mode.
        if let error = observed.linkError, !present.isEmpty {
            plan.notes.append("live VF settings unknown (\(error.message)); full settings are sent")
        }
        appendProgramming(to: &plan, config: config, observed: observed, assigned: present,
                          indexes: present.map(\.vfIndex).sorted(), live: observed.linkStatus)
    }

    // MARK: max_vfs modules

    private static func planModules(matched: [(config: PFConfig, observed: ObservedPF)], observation: ProvisionObservation,
                                    assigned: [AssignedVF], options: ProvisionOptions) -> [ModuleOptionsPlan] {
        let maxVFs = matched.filter { entry in
            entry.config.method == .maxVFs && entry.observed.pf.kind == .pci
                && entry.config.numVFs <= (entry.observed.pf.totalVFs ?? Int.max)
        }
        var plans: [ModuleOptionsPlan] = []
        for driver in Set(maxVFs.compactMap { $0.observed.pf.driver }).sorted() {
            guard let module = observation.modules[driver] else { continue }
            let configured = maxVFs.filter { $0.observed.pf.driver == driver }
            let ports = observation.pfs.filter { $0.pf.driver == driver && $0.pf.kind == .pci }
                .compactMap { observed -> ModulePort? in
                    guard let address = observed.pf.pciAddress else { return nil }
                    let entry = configured.first { $0.observed.device == observed.device }
                    return ModulePort(pciAddress: address, vfs: entry?.config.numVFs ?? observed.pf.numVFs ?? 0,
                                      current: observed.pf.numVFs, source: entry.map { $0.config.source ?? "config" })
                }
                .sorted { $0.pciAddress < $1.pciAddress }
            var plan = ModuleOptionsPlan(module: module, ports: ports, contents: nil, writeFile: false, reload: false)

            let value: String
            switch module.shape {
            case .single:
                let values = Set(configured.map(\.config.numVFs))
                if values.count > 1 {
                    plan.refusal = SRIOVError(.invalidConfig, "module \(module.module): its max_vfs is one value for every "
                        + "port, but the config asks for " + configured.map {
                            "\($0.config.numVFs) on \($0.observed.label) (\($0.config.source ?? "config"))"
                        }.joined(separator: ", "))
                    plans.append(plan)
                    continue
                }
                let number = values.first ?? 0
                value = "\(number)"
                let others = ports.filter { $0.source == nil }
                if !others.isEmpty {
                    plan.notes.append("max_vfs=\(number) also applies to "
                                      + others.map(\.pciAddress.description).joined(separator: ", ")
                                      + " (not in the config): \(module.module) takes one value for every port")
                }
            case .perPort, .unknown:
                value = ports.map { String($0.vfs) }.joined(separator: ",")
                if module.shape == .unknown {
                    plan.notes.append("could not tell whether \(module.module)'s max_vfs is per port (no modinfo); "
                                      + "using one value per port, in PCI address order")
                }
            }
            let contents = modprobeFile(module: module.module, ports: ports, value: value)
            plan.contents = contents
            plan.writeFile = contents != module.currentContents

            let needsReload = configured.contains { $0.observed.pf.numVFs != $0.config.numVFs }
            if needsReload && options.reloadDriver {
                let devices = Set(ports.map(\.pciAddress.description))
                let blockers = assigned.filter { devices.contains($0.pfDevice) }
                if blockers.isEmpty {
                    plan.reload = true
                } else {
                    plan.reloadRefusal = SRIOVError(.busy, "module \(module.module): not reloaded, because "
                        + blockers.map { "VF \($0.vfIndex) of \($0.pfDevice) is assigned to \($0.guest)" }
                            .joined(separator: ", ")
                        + "; detach the guests first, or reboot")
                }
            }
            plans.append(plan)
        }
        return plans
    }

    /// The modprobe.d file for a `max_vfs` module. Deterministic, so a second run sees no change.
    public static func modprobeFile(module: String, ports: [ModulePort], value: String) -> String {
        """
        # Written by `sriovctl provision` from its config; it rewrites this file, so edit the config instead.
        # \(module) ports in PCI address order: \(ports.map(\.pciAddress.description).joined(separator: " ")).
        # A module reload (`sriovctl provision --reload-driver`) or a reboot applies it.
        options \(module) max_vfs=\(value)

        """
    }
}
