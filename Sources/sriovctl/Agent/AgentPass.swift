import Foundation
import Logging
import SRIOVCore
import SRIOVLinux
import SRIOVLinuxPrograms
import SRIOVStore

/// One agent pass: what `provision` and `audit --fix` do, for one PF or every PF, as the only
/// sriovctl changing VFs (``StateOperationLock``, held for this pass only).
///
/// This is the one file where the agent calls the provisioning and audit code the commands
/// use (ProvisionObserver/Planner/Runner, AuditService, AuditRepairPlan); when those
/// move behind core services, only this file changes. Per PF, in one ProvisionRunner run:
/// `sriov_drivers_autoprobe`, `sriov_numvfs`, vfio-pci binding, then a single netlink batch
/// holding the config's VF defaults, every leased guest's VF settings and the reset of free
/// VFs carrying a leased, quarantined or foreign MAC (merged with the config's settings for
/// that VF, so the agent never undoes its own defaults).
///
/// Never touched: VFs whose assignment is `intent` or `releasing` (a command is working on
/// them), VFs the flap guard gave up on, and with `repair_running_guests: false` the VFs of
/// running guests. The agent writes no modprobe.d file and reloads no module. Every change
/// is logged (one line per field: what, PF, VF, guest, old → new, trigger), counted and
/// journalled (`agent-repair`).
struct AgentPass {
    /// What a pass did.
    struct Outcome {
        /// The host as sysfs showed it after the pass (the event router is rebuilt from it).
        var inventory: HostInventory?
        /// VF fields and PF settings changed.
        var repairs = 0
        /// What failed, one sentence each.
        var failures: [String] = []
        /// True when nothing failed.
        var succeeded: Bool { failures.isEmpty }
    }

    let services: HostServices
    let config: HostConfig
    let logger: Logger
    let statistics: AgentStatisticsRecorder
    /// Milliseconds on a monotonic clock, for the flap guard.
    let now: @Sendable () -> Int

    /// Runs the pass. Never throws: failures are logged and returned.
    func run(_ target: PassTarget, trigger: AgentTrigger, flapGuard: inout FlapGuard) -> Outcome {
        var outcome = Outcome()
        do throws(SRIOVError) {
            if services.fleet != nil {
                // A fleet database: this host's cache while it is unreachable (the store retries
                // it with backoff), so a PF reset is healed with the PostgreSQL server down too.
                let (store, fromCache) = try services.existingStateStoreOrCache(announce: { logger.warning("\($0)") })
                try services.exclusively { () throws(SRIOVError) in
                    try reconcile(target, trigger: trigger, store: store, fromCache: fromCache, flapGuard: &flapGuard,
                                  outcome: &outcome)
                }
            } else {
                try services.exclusivelyWithExistingStateStore { (store) throws(SRIOVError) in
                    try reconcile(target, trigger: trigger, store: store, fromCache: false, flapGuard: &flapGuard,
                                  outcome: &outcome)
                }
            }
        } catch {
            logger.error("pass failed: \(error.message)", metadata: ["target": "\(target)", "trigger": "\(trigger)"])
            outcome.failures.append(error.message)
        }
        outcome.inventory = services.discovery.discover()
        return outcome
    }

    private func reconcile(_ target: PassTarget, trigger: AgentTrigger, store: (any StateStoring)?, fromCache: Bool,
                           flapGuard: inout FlapGuard, outcome: inout Outcome) throws(SRIOVError) {
        let assignments = try store?.read().assignments ?? []
        let assigned = assignments.map {
            AssignedVF(pfDevice: $0.vf.pf.device, pfPermanentMAC: $0.vf.pf.permanentMAC, vfIndex: $0.vf.index,
                       guest: $0.lease.guest, settings: $0.desired)
        }
        let byVF = Dictionary(assignments.map { (FlapGuard.VF(pf: $0.vf.pf.device, index: $0.vf.index), $0) },
                              uniquingKeysWith: { first, _ in first })

        let links = services.linkControl
        let devices = SysfsSRIOVDeviceControl(sysfs: services.sysfs)
        let modules = ModprobeModuleControl(sysfs: services.sysfs, etcRoot: "/etc")
        let observer = ProvisionObserver(discovery: services.discovery, links: links, devices: devices, modules: modules)
        let options = ProvisionOptions(force: false, reloadDriver: false, guest: nil, vfWaitTimeout: .seconds(10))
        let observation = observer.observe(config: config)
        var plan = ProvisionPlanner.plan(config: config, observation: observation, assigned: assigned, options: options)
        plan.modules = []
        let pfPlans = plan.pfs.filter { pfPlan in
            switch target {
            case .everyPF: true
            case .pf(let device): pfPlan.device == device
            }
        }
        guard !pfPlans.isEmpty else { return }

        // The audit's view (live VFs, leases, quarantine, the MAC pool) for the free-VF resets,
        // unless every PF of the pass gets new VFs anyway.
        let needsAudit = pfPlans.contains { pfPlan in
            pfPlan.refusal == nil && !pfPlan.steps.contains { if case .numVFs = $0 { true } else { false } }
        }
        var input: AuditInput?
        var repairs: AuditRepairPlan?
        if needsAudit {
            let collected = try auditSnapshot(store: store)
            input = collected
            repairs = AuditRepairPlan.plan(collected, forceRunning: config.agent.repairRunningGuests)
        }

        // For `sriovctl_vfs`: the audit's PF name of each PF counted, and the VFs this pass repaired.
        var countedPFs: [String: String] = [:]
        var uncountedPFs: Set<String> = []
        var repairedVFs: Set<AuditVFID> = []

        for var pfPlan in pfPlans {
            guard let device = pfPlan.device, pfPlan.refusal == nil else {
                let message = pfPlan.refusal?.message ?? "\(pfPlan.name): not found"
                logger.warning("PF not provisioned: \(message)", metadata: ["pf": "\(pfPlan.name)", "trigger": "\(trigger)"])
                if target != .everyPF || pfPlan.device != nil { outcome.failures.append(message) }
                continue
            }
            let auditPF = input?.pfs.first { $0.pciAddress?.description == device || $0.name == pfPlan.pf?.name }
            let live = Dictionary((auditPF?.vfs ?? []).compactMap { vf in vf.live.map { (vf.index, $0) } },
                                  uniquingKeysWith: { first, _ in first })
            var programming: [Int: VFProgramming] = [:]
            var liveStateKnown = true
            for step in pfPlan.steps {
                if case .programVFs(let set) = step {
                    liveStateKnown = set.liveStateKnown
                    for vf in set.vfs { programming[vf.index] = vf }
                }
            }
            let creating = pfPlan.steps.contains { if case .numVFs = $0 { true } else { false } }
            if !creating, let auditPF { countedPFs[auditPF.name] = device } else { uncountedPFs.insert(device) }
            if !creating, let auditPF, let repairs {
                for action in repairs.actions where action.vf.pf == auditPF.name {
                    let index = action.vf.index
                    var settings = action.settings
                    if action.kind == .reset {
                        settings = VFSettings.reset.merging(pfPlan.config?.settings(forVF: index) ?? VFSettings())
                    }
                    guard let diff = live[index].map({ settings.difference(from: $0) }) ?? settings else { continue }
                    let guest = byVF[FlapGuard.VF(pf: device, index: index)]?.lease.guest
                    let merged = diff.merging(programming[index]?.settings ?? VFSettings())
                    programming[index] = VFProgramming(index: index, guest: programming[index]?.guest ?? guest, settings: merged)
                }
                for skip in repairs.skipped where skip.vf.pf == auditPF.name {
                    logger.info("left alone: \(device) VF \(skip.vf.index): \(skip.reason)",
                                metadata: ["pf": "\(device)", "vf": "\(skip.vf.index)", "trigger": "\(trigger)"])
                }
            }
            // What a command is working on, and what the flap guard gave up on, is left alone.
            let at = now()
            for index in programming.keys.sorted() {
                let key = FlapGuard.VF(pf: device, index: index)
                if let assignment = byVF[key], assignment.state != .applied {
                    logger.debug("left alone: \(key): assignment is \(assignment.state)")
                    programming[index] = nil
                    continue
                }
                switch flapGuard.decide(key, at: at) {
                case .repair:
                    break
                case .giveUp(let count):
                    let window = config.agent.flapWindowMilliseconds / 1000, holdOff = config.agent.flapHoldOffMilliseconds / 1000
                    logger.error("giving up on \(pfPlan.name) VF \(index): repaired \(count) times in \(window) s, something else keeps changing it; left alone for \(holdOff) s",
                                 metadata: ["pf": "\(device)", "vf": "\(index)", "trigger": "\(trigger)"])
                    statistics.update { $0.recordGiveUp(AgentStatistics.VFKey(pf: device, vf: index)) }
                    programming[index] = nil
                case .leftAlone:
                    programming[index] = nil
                }
            }
            pfPlan.steps.removeAll { if case .programVFs = $0 { true } else { false } }
            if !programming.isEmpty {
                let set = VFProgrammingSet(vfs: programming.keys.sorted().map { programming[$0]! },
                                           liveStateKnown: liveStateKnown)
                pfPlan.steps.append(.programVFs(set))
            }
            guard !pfPlan.steps.isEmpty else { continue }

            let runner = ProvisionRunner(observer: observer, devices: devices, modules: modules, links: links)
            let report = runner.run(ProvisionPlan(pfs: [pfPlan]), assigned: assigned, options: options)
            var journal: [JournalEntry] = []
            let pfID = PFStableID(device: device, permanentMAC: observation.pf(device: device)?.permanentMAC)
            for pfOutcome in report.pfs {
                for error in pfOutcome.errors {
                    logger.error("\(error.message)", metadata: ["pf": "\(device)", "trigger": "\(trigger)"])
                    outcome.failures.append(error.message)
                }
                for step in pfOutcome.steps {
                    for error in step.errors {
                        logger.error("\(step.step.summary) failed: \(error.message)",
                                     metadata: ["pf": "\(device)", "trigger": "\(trigger)"])
                        outcome.failures.append(error.message)
                    }
                    guard step.status == .done else { continue }
                    switch step.step {
                    case .programVFs(let set):
                        for vf in set.vfs {
                            if let auditPF { repairedVFs.insert(AuditVFID(pf: auditPF.name, index: vf.index)) }
                            let changes = VFFieldChange.changes(from: live[vf.index], to: vf.settings)
                            guard !changes.isEmpty else { continue }
                            let key = FlapGuard.VF(pf: device, index: vf.index)
                            flapGuard.recordRepair(key, at: at)
                            let guest = vf.guest ?? byVF[key]?.lease.guest
                            for change in changes {
                                let owner = guest.map { " (guest \($0))" } ?? " (free)"
                                logger.notice("repaired \(change.field) of \(pfPlan.name) VF \(vf.index)\(owner): \(change.old) → \(change.new) [trigger \(trigger)]",
                                              metadata: ["pf": "\(device)", "vf": "\(vf.index)", "guest": "\(guest ?? "")",
                                                         "field": "\(change.field)", "trigger": "\(trigger)"])
                                statistics.update { $0.recordRepair(pf: device, field: change.field) }
                                outcome.repairs += 1
                            }
                            journal.append(JournalEntry(action: "agent-repair", guest: guest,
                                                        mac: byVF[key]?.desired.mac, vf: VFKey(pf: pfID, index: vf.index),
                                                        detail: changes.map(\.description).joined(separator: "; ")
                                                            + " (trigger \(trigger))"))
                        }
                    default:
                        let field: String
                        switch step.step {
                        case .numVFs: field = "num_vfs"
                        case .bindVFIO: field = "vfio"
                        case .driversAutoprobe: field = "drivers_autoprobe"
                        default: field = step.step.action
                        }
                        logger.notice("repaired \(field) of \(pfPlan.name): \(step.step.summary) [trigger \(trigger)]",
                                      metadata: ["pf": "\(device)", "field": "\(field)", "trigger": "\(trigger)"])
                        statistics.update { $0.recordRepair(pf: device, field: field) }
                        outcome.repairs += 1
                        journal.append(JournalEntry(action: "agent-repair", detail: "\(pfPlan.name): \(step.step.summary) "
                                                    + "(trigger \(trigger))"))
                    }
                }
            }
            if fromCache, !journal.isEmpty {
                // Nothing can be recorded while the fleet database is unreachable; the log keeps them.
                logger.warning("\(journal.count) repairs not journalled: working from this host's cache",
                               metadata: ["pf": "\(device)"])
            } else if let store, !journal.isEmpty {
                do {
                    try store.update { _ in StateUpdate(edits: journal.map { .journal($0) }) }
                } catch {
                    logger.error("journal not written: \(error.message)", metadata: ["pf": "\(device)"])
                    outcome.failures.append(error.message)
                }
            }
        }
        let givenUp = flapGuard.givenUp(at: now()).map { AgentStatistics.VFKey(pf: $0.pf, vf: $0.index) }
        var counts: [String: VFStateCounts] = [:]
        if let input {
            let byName = VFStateCounts.count(input, repaired: repairedVFs)
            for (name, device) in countedPFs { counts[device] = byName[name] }
        }
        let seen = Set(pfPlans.compactMap(\.device))
        statistics.update { statistics in
            statistics.vfsGivenUp = givenUp
            // A PF whose VFs are being created has no counts until a pass sees them.
            if target == .everyPF { statistics.vfStates = statistics.vfStates.filter { seen.contains($0.key) } }
            for device in uncountedPFs { statistics.vfStates[device] = nil }
            statistics.vfStates.merge(counts) { $1 }
        }
    }

    /// The audit's snapshot, as `audit --fix` reads it (``AuditService``), with the agent's
    /// loaded config (its MAC pool) and libvirt only when running guests' VFs are to be left alone.
    private func auditSnapshot(store: (any StateStoring)?) throws(SRIOVError) -> AuditInput {
        let askLibvirt = !config.agent.repairRunningGuests
        let database: AuditDatabase = store.map { .store($0) } ?? .absent(path: services.databasePath)
        let services = self.services
        let guests = askLibvirt
            ? Result { () throws(SRIOVError) -> any GuestDomainControlling in try services.guestDomains(uri: nil, readOnly: true) }
            : nil
        let audit = AuditService(
            hostName: ProcessInfo.processInfo.hostName, discovery: services.discovery, links: services.linkControl,
            hostDevices: services.hostDevices, stacking: SysfsInterfaceStacking(sysfs: services.sysfs),
            database: database, config: .success(config), guests: guests,
            libvirtURI: askLibvirt ? "qemu:///system" : nil)
        return try audit.snapshot()
    }
}
