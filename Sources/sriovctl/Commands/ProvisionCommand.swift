import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVAgentAPI
import SRIOVCore
import SRIOVFrontEnd

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
            for line in answer.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                printError(String(line))
            }
            print(answer.stdout, terminator: "")
            if !answer.succeeded { throw ExitStatus.failure.code }
            return
        }
        let services = HostServices(options: global)
        let service = services.provisioningService(etcRoot: etcRoot, netlink: !noNetlink)
        let config = try exitingOnFailure { () throws(SRIOVError) in try services.loadConfig() }
        let (planned, report) = try exitingOnFailure { () throws(SRIOVError) -> (ProvisionReport, ProvisionReport?) in
            try services.provision(service, config: config, options: options, dryRun: dryRun) { prepared in
                print(ProvisionOutput.plan(prepared, json: json), terminator: "")
            }
        }
        let shown = report ?? planned
        let (stdout, warnings) = try exitingOnFailure { () throws(SRIOVError) in try ProvisionOutput.report(shown, json: json) }
        for warning in warnings { printError(warning) }
        print(stdout, terminator: "")
        if !shown.succeeded { throw ExitStatus.failure.code }
    }

    /// The options as the core takes them.
    private var options: ProvisionOptions {
        ProvisionOptions(force: force, reloadDriver: reloadDriver, guest: guest,
                         vfWaitTimeout: .milliseconds(Int64(vfTimeout * 1000)))
    }

    /// The options the agent's `POST /v1/provision` takes.
    private var agentRequest: ProvisionRequest {
        ProvisionRequest(dryRun: dryRun, force: force, reloadDriver: reloadDriver, guest: guest, json: json)
    }
}
