import SRIOVCore
import SRIOVTesting
import Testing

/// The services a front end calls (the CLI today, the agent next), over fakes of every port:
/// what a caller that only calls them sees.
@Suite("services: provisioning, attachment, audit")
struct ServicesTests {
    typealias P = ProvisioningPlannerTests

    /// No interface is stacked on another.
    struct NoStacking: InterfaceStackingReading {
        func lowerInterfaces() -> [String: [String]] { [:] }
    }

    @Test("ProvisioningService: prepare changes nothing and shows the plan; apply carries it out; a second provision has nothing to do")
    func provisioning() throws {
        let host = SimulatedSRIOVHost([P.netdevsim()])
        let service = ProvisioningService(discovery: host, links: host, devices: host, modules: host,
                                          hostDevices: FakeHostDevices(), liveness: FakeProcessLiveness())
        let config = HostConfig(pfs: [PFConfig(selector: .netdev("eni10np1"), numVFs: 4,
                                               vfDefaults: VFSettings(spoofCheck: false))])
        let prepared = try service.prepare(config: config, store: nil, options: ProvisionOptions())
        #expect(prepared.hasPlannedSteps && !prepared.nothingToDo)
        #expect(host.log.isEmpty, "preparing wrote nothing: \(host.log)")
        let report = service.apply(prepared)
        #expect(report.succeeded, "\(report.failures)")
        #expect(host.pf("netdevsim10")?.vfs.count == 4)
        let writes = host.log.count
        #expect(try service.provision(config: config, store: nil, options: ProvisionOptions()).nothingToDo)
        #expect(host.log.count == writes, "the second run changed nothing")
    }

    @Test("AttachmentService: attach renders the interface as asked; detach gives the VF back")
    func attachment() throws {
        let host = AttachmentFixture()
        let service = AttachmentService(environment: host.environment())
        var request = AttachRequest(guest: "web1", network: "pci", output: .libvirt)
        request.settings.trust = true
        let attached = try service.attach(request)
        #expect(attached.rendered?.contains("<interface type='hostdev' managed='yes'>") == true)
        #expect(attached.result.settings.trust == true)
        #expect(attached.result.programmed.contains(VFField.trust.name))
        let detached = try service.detach(DetachRequest(guest: "web1", network: "pci"))
        #expect(detached.outcome == "detached" && detached.leaseKept)
    }

    @Test("AuditService: what it cannot read becomes notices; fix re-applies the database's settings to a drifted VF")
    func audit() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1")
        // The VF drifts: trust turned on behind sriovctl's back.
        let vf = try #require(try host.store.read().assignments.first).vf.index
        var pf = try host.links.readPF("eni10np1")
        pf.vfs[vf].trust = true
        host.links.setPF(pf)

        let service = AuditService(
            hostName: "host01", discovery: host.discovery, links: host.links, hostDevices: host.devices,
            stacking: NoStacking(), database: .store(host.store),
            config: .failure(SRIOVError(.notFound, "c.yaml: cannot read the config file")), guests: nil, libvirtURI: nil)
        let snapshot = try service.snapshot()
        let before = AuditService.report(snapshot, generator: "test")
        #expect(before.findings.contains { $0.rule == .drift && $0.message.contains("trust off in the database, on on the VF") })
        #expect(snapshot.notices.contains("config: c.yaml: cannot read the config file; MAC pool check skipped"))
        #expect(snapshot.notices.contains { $0.hasPrefix("libvirt: not checked") })

        // Without libvirt nothing says web1 is stopped: its VF is left alone unless forced.
        let careful = try service.fix(AuditFixRequest())
        #expect(careful.lines.first?.contains("skipped, guest web1 may be running") == true, "\(careful.lines)")
        #expect(host.vf(vf).trust == true)
        let fixed = try service.fix(AuditFixRequest(forceRunning: true))
        #expect(fixed.lines.contains { $0.hasSuffix("done") }, "\(fixed.lines)")
        #expect(host.vf(vf).trust == false)
        #expect(!AuditService.report(fixed.input, generator: "test").findings.contains { $0.rule == .drift })

        let absent = AuditService(
            hostName: "host01", discovery: host.discovery, links: nil, hostDevices: host.devices, stacking: NoStacking(),
            database: .absent(path: "/var/lib/sriovctl/state.db"), config: .success(host.config), guests: nil, libvirtURI: nil)
        #expect(try absent.snapshot().notices.contains("database: /var/lib/sriovctl/state.db does not exist (nothing attached yet)"))
        #expect(throws: SRIOVError.self) { try absent.fix(AuditFixRequest()) }
    }
}
