import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVCore

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
        let services = HostServices(options: global)
        let service = services.provisioningService(etcRoot: etcRoot, netlink: !noNetlink)
        let options = ProvisionOptions(force: force, reloadDriver: reloadDriver, guest: guest,
                                       vfWaitTimeout: .milliseconds(Int64(vfTimeout * 1000)))
        let config = try exitingOnFailure { () throws(SRIOVError) in try services.loadConfig() }
        let (planned, report) = try exitingOnFailure { () throws(SRIOVError) -> (ProvisionReport, ProvisionReport?) in
            guard !dryRun else {
                let prepared = try service.prepare(config: config, store: services.existingStateStore(),
                                                   options: options, dryRun: true)
                return (prepared.report, nil)
            }
            // A real run is the only sriovctl changing VFs from reading the guests' VFs to its
            // last request: a detach finishing meanwhile must not get its guest's MAC back, and
            // an attach creating the database meanwhile must not get a free VF's defaults.
            return try services.exclusivelyWithExistingStateStore { (store) throws(SRIOVError) in
                let prepared = try service.prepare(config: config, store: store, options: options)
                if prepared.nothingToDo { return (prepared.report, nil) }
                if !json && prepared.hasPlannedSteps {
                    print(ProvisionReportRenderer.renderPlan(prepared.report))
                    print("")
                }
                return (prepared.report, service.apply(prepared))
            }
        }
        guard let report else {
            try output(planned, plan: nil)
            if !planned.succeeded { throw ExitStatus.failure.code }
            return
        }
        try output(report, plan: planned)
        if !report.succeeded { throw ExitStatus.failure.code }
    }

    /// Prints a report: JSON, or the plan (dry run) / the outcome, then the summary line.
    private func output(_ report: ProvisionReport, plan: ProvisionReport?) throws {
        if json {
            try JSONOutput.print(report)
            return
        }
        for warning in report.warnings { printError("warning: \(warning)") }
        if report.nothingToDo {
            print(ProvisionReportRenderer.renderSummary(report))
            return
        }
        print(report.dryRun ? ProvisionReportRenderer.renderPlan(report) : ProvisionReportRenderer.renderResults(report))
        print(ProvisionReportRenderer.renderSummary(report))
    }
}
