import SRIOVAgentAPI
import SRIOVCore
import SRIOVStore

/// ``AgentOperations`` bound to the code the commands run today: each endpoint does what its
/// command does (attach, detach, leases, `audit --format json`, `vf show`, `vf apply`), on the
/// agent's database, config file and sysfs. The one place to rewire when those move into core
/// services.
struct CommandAgentOperations: AgentOperations {
    /// Where sysfs is mounted.
    let sysfsRoot: String
    /// The state database.
    let database: String
    /// The config file (read at each request, as a command reads it).
    let configFile: String
    /// libvirt's URI for `apply` and audit; `nil` for qemu:///system.
    let libvirtURI: String?
    /// Tests only: record without programming VFs (`--no-program`).
    let noProgram: Bool
    /// Where provision writes modprobe.d files (`--etc-root`).
    let etcRoot: String
    /// False to provision without netlink (`--no-netlink`; tests on sysfs fixtures).
    let provisionNetlink: Bool

    init(sysfsRoot: String = "/sys", database: String = "/var/lib/sriovctl/state.db",
         configFile: String = "/etc/sriovctl/config.yaml", libvirtURI: String? = nil, noProgram: Bool = false,
         etcRoot: String = "/etc", provisionNetlink: Bool = true) {
        self.etcRoot = etcRoot
        self.provisionNetlink = provisionNetlink
        self.sysfsRoot = sysfsRoot
        self.database = database
        self.configFile = configFile
        self.libvirtURI = libvirtURI
        self.noProgram = noProgram
    }

    private var arguments: [String] { ["--sysfs-root", sysfsRoot, "--db", database, "--config-file", configFile] }

    private func services() throws(SRIOVError) -> HostServices {
        do {
            return HostServices(options: try GlobalOptions.parse(arguments), label: "sriovctl.agent")
        } catch {
            throw SRIOVError(.system, "agent: cannot set up its options: \(error)")
        }
    }

    func attach(_ request: AttachRequest) throws(SRIOVError) -> AttachmentResult {
        try AttachCommand.attach(request, services: try services(), connect: libvirtURI, noProgram: noProgram).0
    }

    func detach(_ request: DetachRequest) throws(SRIOVError) -> DetachResult {
        try DetachCommand.detach(request, services: try services(), connect: libvirtURI, noProgram: noProgram)
    }

    func provision(_ request: ProvisionRequest) throws(SRIOVError) -> ProvisionAnswer {
        let options = (request.dryRun ? ["--dry-run"] : []) + (request.force ? ["--force"] : [])
            + (request.reloadDriver ? ["--reload-driver"] : []) + (request.guest.map { ["--guest", $0] } ?? [])
            + (request.json ? ["--json"] : []) + ["--etc-root", etcRoot] + (provisionNetlink ? [] : ["--no-netlink"])
        let command: ProvisionCommand
        do {
            command = try ProvisionCommand.parse(arguments + options)
        } catch {
            throw SRIOVError(.invalidValue, "provision: \(error)")
        }
        return try command.perform(showPlan: { _ in }).0
    }

    func leases() throws(SRIOVError) -> LeaseReport {
        let services = try services()
        guard try StateDatabaseLocation.resolve(database).exists else { return LeaseReport(snapshot: StateSnapshot()) }
        return LeaseReport(snapshot: try services.stateReader().read())
    }

    func audit() throws(SRIOVError) -> AuditReport {
        let command: AuditCommand
        do {
            command = try AuditCommand.parse(arguments + ["--format", "json"] + (libvirtURI.map { ["--connect", $0] } ?? []))
        } catch {
            throw SRIOVError(.system, "agent: cannot set up the audit: \(error)")
        }
        return try command.makeReport()
    }

    func auditFix(_ request: AuditFixRequest) throws(SRIOVError) -> AuditFixResult {
        var options = ["--fix"] + (request.dryRun ? ["--dry-run"] : []) + (request.forceRunning ? ["--force-running"] : [])
        for vf in request.vfs { options += ["--vf", vf] }
        if request.noLibvirt { options.append("--no-libvirt") }
        if let hostName = request.hostName { options += ["--host-name", hostName] }
        let command: AuditCommand
        do {
            command = try AuditCommand.parse(arguments + ["--format", "json"] + options
                                             + (request.noLibvirt ? [] : libvirtURI.map { ["--connect", $0] } ?? []))
        } catch {
            throw SRIOVError(.invalidValue, "audit --fix: \(error)")
        }
        let lines = LineCollector()
        let report = try command.makeReport(say: lines.append)
        return AuditFixResult(report: report, repairs: lines.lines)
    }

    func showVFs(pf: String) throws(SRIOVError) -> PFLinkStatus {
        let services = try services()
        return try services.linkControl.readPF(try PFArgument.netdev(pf, services: services))
    }

    func applyVFs(pf: String, specLines: String, source: String) throws(SRIOVError) -> VFApplyReport {
        try VFApplyCommand.apply(pf: pf, text: specLines, source: source, services: try services())
    }

    func health() -> AgentHealth {
        AgentHealth(version: SriovctlVersion.current, database: database, configFile: configFile, sysfsRoot: sysfsRoot)
    }
}

/// Collects the lines a command would print, for the agent's answer.
final class LineCollector: @unchecked Sendable {
    private(set) var lines: [String] = []
    func append(_ line: String) { lines.append(line) }
}
