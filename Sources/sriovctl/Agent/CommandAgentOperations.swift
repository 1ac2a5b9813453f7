import Foundation  // ISO8601DateFormatter, ProcessInfo.hostName
import SRIOVAgentAPI
import SRIOVCore
import SRIOVLibvirt
import SRIOVStore
import SRIOVFrontEnd

/// ``AgentOperations`` bound to the core services, built by ``HostServices`` on the agent's
/// database, config file and sysfs as a command builds them: each endpoint does what its
/// command does (attach, detach, provision, leases, `audit --format json`, `audit --fix`,
/// `vf show`, `vf apply`), under the same operation lock.
struct CommandAgentOperations: AgentOperations {
    /// Where sysfs is mounted.
    let sysfsRoot: String
    /// The state database.
    let database: String
    /// The config file (read at each request, as a command reads it).
    let configFile: String
    /// libvirt's URI for `apply` and audit; `nil` for qemu:///system.
    let libvirtURI: String?
    /// Where provision writes modprobe.d files (`--etc-root`).
    let etcRoot: String
    /// False to provision without netlink (`--no-netlink`; tests on sysfs fixtures).
    let provisionNetlink: Bool
    /// Asks the agent for a pass over the PF an attach or detach changed (it checks the VF
    /// against the database as after any change); nothing outside the agent.
    let requestPass: @Sendable (PassTarget) -> Void
    /// The environment ``HostServices`` reads test-only switches from (`SRIOVCTL_TEST_UNPROGRAMMED_VFS`).
    let environment: [String: String]

    init(sysfsRoot: String = "/sys", database: String = "/var/lib/sriovctl/state.db",
         configFile: String = "/etc/sriovctl/config.yaml", libvirtURI: String? = nil,
         etcRoot: String = "/etc", provisionNetlink: Bool = true,
         requestPass: @escaping @Sendable (PassTarget) -> Void = { _ in },
         environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.requestPass = requestPass
        self.environment = environment
        self.etcRoot = etcRoot
        self.provisionNetlink = provisionNetlink
        self.sysfsRoot = sysfsRoot
        self.database = database
        self.configFile = configFile
        self.libvirtURI = libvirtURI
    }

    private var arguments: [String] { ["--sysfs-root", sysfsRoot, "--db", database, "--config-file", configFile] }

    private func services() throws(SRIOVError) -> HostServices {
        do {
            return HostServices(options: try GlobalOptions.parse(arguments), label: "sriovctl.agent", environment: environment)
        } catch {
            throw SRIOVError(.system, "agent: cannot set up its options: \(error)")
        }
    }

    func attach(_ request: AttachRequest) throws(SRIOVError) -> AttachmentResult {
        let services = try services()
        let config = try services.loadConfig()
        // Bad input is refused before the database, its directory or its lock is created.
        try AttachmentService.check(request, config: config)
        _ = try StateDatabaseLocation.resolve(database)
        let apply = request.libvirt != nil
        let guests = (apply || libvirtURI != nil) ? try services.guestDomains(uri: libvirtURI, readOnly: !apply) : nil
        let service = try services.attachmentService(config: config, guests: guests)
        let result = try services.exclusively { () throws(SRIOVError) in try service.attach(request) }.result
        requestPass(.pf(result.pf.id.device))
        return result
    }

    func detach(_ request: DetachRequest) throws(SRIOVError) -> DetachResult {
        let services = try services()
        // Nothing to detach without a database: say so and create none.
        guard try services.stateExists() else {
            throw SRIOVError(.notFound, "guest '\(request.guest)' has no lease: there is no state database at \(database) "
                             + "(nothing attached yet); nothing was changed")
        }
        let guests = request.libvirt != nil ? try services.guestDomains(uri: libvirtURI) : nil
        // Detach needs no network definitions: the lease and the VF are in the database.
        let service = try services.attachmentService(config: HostConfig(), guests: guests)
        let result = try services.exclusively { () throws(SRIOVError) in try service.detach(request) }
        if let vf = result.vf { requestPass(.pf(vf.pf.device)) }
        return result
    }

    func provision(_ request: ProvisionRequest) throws(SRIOVError) -> ProvisionAnswer {
        let services = try services()
        let service = services.provisioningService(etcRoot: etcRoot, netlink: provisionNetlink)
        let options = ProvisionOptions(force: request.force, reloadDriver: request.reloadDriver, guest: request.guest,
                                       vfWaitTimeout: .seconds(10))
        let config = try services.loadConfig()
        var plan = ""
        let (planned, outcome) = try services.provision(service, config: config, options: options,
                                                        dryRun: request.dryRun) { prepared in
            plan = ProvisionOutput.plan(prepared, json: request.json)
        }
        let shown = outcome ?? planned
        let (stdout, warnings) = try ProvisionOutput.report(shown, json: request.json)
        return ProvisionAnswer(plan: planned, outcome: outcome, succeeded: shown.succeeded, stdout: plan + stdout,
                               stderr: warnings.map { $0 + "\n" }.joined())
    }

    func leases() throws(SRIOVError) -> LeaseReport {
        let services = try services()
        guard try services.stateExists() else { return LeaseReport(snapshot: StateSnapshot()) }
        return LeaseReport(snapshot: try services.stateReader().read())
    }

    func audit() throws(SRIOVError) -> AuditReport {
        let service = try auditService(try services(), hostName: nil, noLibvirt: false, store: nil, writable: false)
        return report(try service.snapshot())
    }

    func auditFix(_ request: AgentAuditFixRequest) throws(SRIOVError) -> AuditFixResult {
        let services = try services()
        // Repairs are planned and made as the only sriovctl changing VFs (as `audit --fix`).
        let outcome: AuditFixOutcome
        if request.dryRun {
            outcome = try auditService(services, hostName: request.hostName, noLibvirt: request.noLibvirt, store: nil,
                                       writable: true).fix(request.fix)
        } else {
            outcome = try services.exclusivelyWithExistingStateStore { (store) throws(SRIOVError) in
                try auditService(services, hostName: request.hostName, noLibvirt: request.noLibvirt, store: store,
                                 writable: true).fix(request.fix)
            }
        }
        return AuditFixResult(report: report(outcome.input), repairs: outcome.lines)
    }

    private func auditService(_ services: HostServices, hostName: String?, noLibvirt: Bool, store: (any StateStoring)?,
                              writable: Bool) throws(SRIOVError) -> AuditService {
        try services.auditService(hostName: hostName ?? ProcessInfo.processInfo.hostName, netlink: true,
                                  libvirtURI: noLibvirt ? nil : libvirtURI ?? LibvirtGuestDomains.defaultURI,
                                  store: store, writable: writable)
    }

    private func report(_ input: AuditInput) -> AuditReport {
        AuditService.report(input, generatedAt: ISO8601DateFormatter().string(from: Date()),
                            generator: "sriovctl \(SriovctlVersion.current)")
    }

    func showVFs(pf: String) throws(SRIOVError) -> PFLinkStatus {
        let services = try services()
        return try services.linkControl.readPF(try PFArgument.netdev(pf, discovery: services.discovery))
    }

    func applyVFs(pf: String, specLines: String, source: String) throws(SRIOVError) -> VFApplyReport {
        try services().vfApplyService.apply(pf: pf, text: specLines, source: source)
    }

    func health() -> AgentHealth {
        AgentHealth(version: SriovctlVersion.current, database: database, configFile: configFile, sysfsRoot: sysfsRoot)
    }
}
