import ArgumentParser
import Foundation
import SRIOVAgentAPI
import SRIOVCore
import SRIOVLinux
import SRIOVStore

/// `sriovctl provision`: creates every configured PF's VFs and programs them, guests'
/// VFs included, from the config file and the state database. Run at boot by
/// contrib/systemd/sriovctl-provision.service, before libvirt starts guests.
struct ProvisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Create and program VFs as the config file says, and give guests' VFs their settings back.",
        discussion: """
        Looks at sysfs and netlink, plans, prints the plan, then applies it: sriov_drivers_autoprobe, \
        sriov_numvfs (0 first, then N), the max_vfs module option for legacy drivers, vfio-pci binding, \
        VF defaults and overrides, and every assigned VF's guest MAC and settings (one netlink request per PF). \
        A second run changes nothing and says so. One PF failing does not stop the others.
        Exit codes: 0 everything done (or nothing to do); 1 anything failed or was refused (every failure is listed). \
        See docs/provision.md.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print the plan and stop; change nothing.")
    var dryRun = false

    @Flag(help: "Print the plan or the outcome as JSON (docs/provision.md).")
    var json = false

    @Flag(help: "Change sriov_numvfs even when that destroys VFs assigned to guests.")
    var force = false

    @Flag(help: "For max_vfs drivers: reload the module (modprobe -r, modprobe) when no VF of it is assigned.")
    var reloadDriver = false

    @Option(help: ArgumentHelp("Only give this guest's VFs their settings back (for the libvirt hook).", valueName: "name"))
    var guest: String?

    @Option(help: ArgumentHelp("Where /etc is (modprobe.d files are written under it).", valueName: "dir"))
    var etcRoot: String = "/etc"

    @Option(name: .customLong("vf-timeout"), help: ArgumentHelp("Seconds to wait for new VFs to appear.", valueName: "seconds"))
    var vfTimeout: Double = 10

    @Flag(name: .customLong("no-netlink"), help: "Do not use netlink (VF settings then cannot be read or programmed).")
    var noNetlink = false

    func validate() throws {
        guard vfTimeout > 0, vfTimeout <= 600 else { throw ValidationError("--vf-timeout must be between 0 and 600 seconds") }
        if let guest, guest.isEmpty { throw ValidationError("--guest needs a guest name") }
        if guest != nil && (force || reloadDriver) {
            throw ValidationError("--guest only restores VF settings; it cannot be combined with --force or --reload-driver")
        }
    }

    func run() throws {
        // Through the agent when one answers and the options are the agent's own (its /etc,
        // netlink, the default VF timeout): the same text, printed when it is done.
        if etcRoot == "/etc", !noNetlink, vfTimeout == 10, let agent = AgentMode.client(global),
           let answer = try exitingOnFailure({ () throws(SRIOVError) in try agent.provision(agentRequest) }) {
            FileHandle.standardOutput.write(Data(answer.stdout.utf8))
            FileHandle.standardError.write(Data(answer.stderr.utf8))
            if !answer.succeeded { throw ExitCode(1) }
            return
        }
        let (result, afterPlan) = try exitingOnFailure { () throws(SRIOVError) in
            try perform(showPlan: { print($0, terminator: "") })
        }
        FileHandle.standardError.write(Data(result.stderr.utf8))
        print(afterPlan, terminator: "")
        if !result.succeeded { throw ExitCode(1) }
    }

    /// The options the agent's `POST /v1/provision` takes.
    var agentRequest: ProvisionRequest {
        ProvisionRequest(dryRun: dryRun, force: force, reloadDriver: reloadDriver, guest: guest, json: json)
    }

    /// What `provision` does and prints: the plan it shows before applying (given to
    /// `showPlan` as it is made), then the report's text (also returned alone, as `afterPlan`).
    /// The agent runs this too.
    func perform(showPlan: (String) -> Void) throws(SRIOVError) -> (ProvisionAnswer, afterPlan: String) {
        let services = HostServices(options: global)
        let links: (any VFLinkControlling)? = noNetlink ? nil : services.linkControl
        let config = try services.loadConfig()
        // A real run is the only sriovctl changing VFs from reading the guests' VFs to its
        // last request: a detach finishing meanwhile must not get its guest's MAC back, and
        // an attach creating the database meanwhile must not get a free VF's defaults.
        let (planned, report): (ProvisionReport, ProvisionReport?)
        if dryRun {
            (planned, report) = try provision(config: config, store: services.existingStateStore(), services: services,
                                              links: links, showPlan: showPlan)
        } else {
            (planned, report) = try services.exclusivelyWithExistingStateStore { (store) throws(SRIOVError) in
                try provision(config: config, store: store, services: services, links: links, showPlan: showPlan)
            }
        }
        let shown = report ?? planned
        let (stdout, stderr) = try rendered(shown)
        return (ProvisionAnswer(plan: planned, outcome: report, succeeded: shown.succeeded,
                                stdout: Self.planText(planned, json: json, ran: report != nil) + stdout, stderr: stderr),
                stdout)
    }

    /// The plan `provision` prints before applying it (not with --json, nor when nothing is planned).
    static func planText(_ planned: ProvisionReport, json: Bool, ran: Bool) -> String {
        let actionable = planned.pfs.contains { $0.steps.contains { $0.status == .planned } }
            || planned.modules.contains { $0.status == .planned }
        guard ran, !json, actionable else { return "" }
        return ProvisionReportRenderer.renderPlan(planned) + "\n\n"
    }

    /// Observes, plans and (unless a dry run or nothing to do) applies: the plan's report, and
    /// the outcome's when it ran.
    private func provision(config: HostConfig, store: SQLiteStateStore?, services: HostServices,
                           links: (any VFLinkControlling)?,
                           showPlan: (String) -> Void) throws(SRIOVError) -> (ProvisionReport, ProvisionReport?) {
        let (assigned, repairNotes) = try guestVFs(store: store, services: services, links: links)
        let options = ProvisionOptions(force: force, reloadDriver: reloadDriver, guest: guest,
                                       vfWaitTimeout: .milliseconds(Int64(vfTimeout * 1000)))
        let devices = SysfsSRIOVDeviceControl(sysfs: services.sysfs)
        let modules = ModprobeModuleControl(sysfs: services.sysfs, etcRoot: etcRoot)
        let observer = ProvisionObserver(discovery: services.discovery, links: links, devices: devices, modules: modules)

        let clock = ContinuousClock()
        let start = clock.now
        let observation = observer.observe(config: config)
        var plan = ProvisionPlanner.plan(config: config, observation: observation, assigned: assigned, options: options)
        plan.warnings = repairNotes + plan.warnings
        let observeTime = clock.now - start
        let planned = ProvisionReport(plan: plan, guest: guest, observeTime: observeTime)
        if dryRun || planned.nothingToDo { return (planned, nil) }

        showPlan(Self.planText(planned, json: json, ran: true))
        let runner = ProvisionRunner(observer: observer, devices: devices, modules: modules, links: links)
        return (planned, runner.run(plan, assigned: assigned, options: options, observeTime: observeTime))
    }

    /// The guests' VFs from the state database. A full run first repairs what a crashed
    /// attach or detach left (not in a dry run, in `--guest` mode or without netlink); the
    /// lines it reports come back as notes. A host without a database has no guests' VFs,
    /// and none is created for them.
    private func guestVFs(store: SQLiteStateStore?, services: HostServices,
                          links: (any VFLinkControlling)?) throws(SRIOVError) -> ([AssignedVF], [String]) {
        guard let store else { return ([], []) }
        var notes: [String] = []
        if !dryRun && guest == nil, let links {
            let repair = IntentRepair(store: store, links: links, discovery: services.discovery,
                                      devices: services.hostDevices, liveness: ProcProcessLiveness())
            let report = try repair.run()
            notes = report.repaired.map { "repaired: \($0)" } + report.failures.map { "not repaired: \($0)" }
        }
        return (try StoredAssignedVFs(store: store).assignedVFs(), notes)
    }

    /// A report's text: JSON, or the plan (dry run) / the outcome, then the summary line; warnings
    /// for stderr.
    private func rendered(_ report: ProvisionReport) throws(SRIOVError) -> (stdout: String, stderr: String) {
        if json {
            do {
                return (try JSONOutput.render(report) + "\n", "")
            } catch {
                throw SRIOVError(.system, "cannot encode the report as JSON: \(error)")
            }
        }
        let warnings = report.warnings.map { "warning: \($0)\n" }.joined()
        if report.nothingToDo { return (ProvisionReportRenderer.renderSummary(report) + "\n", warnings) }
        let body = report.dryRun ? ProvisionReportRenderer.renderPlan(report) : ProvisionReportRenderer.renderResults(report)
        return (body + "\n" + ProvisionReportRenderer.renderSummary(report) + "\n", warnings)
    }
}
