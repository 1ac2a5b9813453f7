import NIOConcurrencyHelpers
import SRIOVAgentAPI
import SRIOVCore

/// Answers every endpoint from fixed values and records what it was asked, so a test can
/// tell that a refused request reached nothing.
final class FakeAgentOperations: AgentOperations {
    private let calls = NIOLockedValueBox<[String]>([])
    let failAttachWith: SRIOVError?

    init(failAttachWith: SRIOVError? = nil) { self.failAttachWith = failAttachWith }

    /// The operations called, in order (`attach web1`, `leases`, …).
    var called: [String] { calls.withLockedValue { $0 } }

    private func record(_ call: String) { calls.withLockedValue { $0.append(call) } }

    static let pf = PFRecord(id: PFStableID(device: "0000:0b:00.0"), kind: .pci, pciAddress: PCIAddress("0000:0b:00.0"),
                             netdev: "eth0")

    func attach(_ request: AttachRequest) throws(SRIOVError) -> AttachmentResult {
        record("attach \(request.guest) \(request.network) slot \(request.slot) trust \(request.settings.trust.map(String.init) ?? "-")")
        if let failAttachWith { throw failAttachWith }
        let mac = request.mac ?? MACAddress("02:5a:00:00:00:00")!
        let vf = PCIAddress("0000:0b:10.2")
        return AttachmentResult(guest: request.guest, uuid: nil, network: request.network, slot: request.slot, mac: mac,
                                leaseCreated: true, pf: Self.pf, vfIndex: 1, vfPCIAddress: vf,
                                settings: VFSettings(mac: mac, vlan: request.settings.vlan, spoofCheck: true, trust: request.settings.trust ?? false),
                                interface: GuestInterface(mac: mac, vfPCIAddress: vf, vlan: request.settings.vlan),
                                outcome: .attached, programmed: ["mac", "vlan"])
    }

    func detach(_ request: DetachRequest) throws(SRIOVError) -> DetachResult {
        record("detach \(request.guest)")
        return DetachResult(guest: request.guest, network: request.network ?? "prod", slot: request.slot,
                            mac: MACAddress("02:5a:00:00:00:00")!, outcome: "detached",
                            vf: VFKey(pf: Self.pf.id, index: 1), pfNetdev: "eth0", restored: ["mac"], leaseKept: true)
    }

    func provision(_ request: ProvisionRequest) throws(SRIOVError) -> ProvisionAnswer {
        record("provision")
        let report = ProvisionReport(plan: ProvisionPlan(), guest: request.guest, observeTime: .zero)
        return ProvisionAnswer(plan: report, outcome: nil, succeeded: true, stdout: "nothing to do\n", stderr: "")
    }

    func leases() throws(SRIOVError) -> LeaseReport {
        record("leases")
        return LeaseReport(snapshot: StateSnapshot())
    }

    func audit() throws(SRIOVError) -> AuditReport {
        record("audit")
        return AuditEngine.audit(AuditInput(hostName: "test-host"), generatedAt: "2026-11-26T00:00:00Z", generator: "test")
    }

    func auditFix(_ request: AgentAuditFixRequest) throws(SRIOVError) -> AuditFixResult {
        record("fix \(request.vfs.joined(separator: ","))")
        return AuditFixResult(report: try audit(), repairs: ["eth0:3: reset (stale) done"])
    }

    func showVFs(pf: String) throws(SRIOVError) -> PFLinkStatus {
        record("show \(pf)")
        guard pf == "eth0" else { throw SRIOVError(.notFound, "no PF '\(pf)'") }
        return PFLinkStatus(ifindex: 2, name: "eth0", mac: MACAddress("3c:fd:fe:00:00:01"), operState: "up", numVFs: 1,
                            vfs: [VFState(index: 0, mac: MACAddress("00:00:00:00:00:00")!)])
    }

    func applyVFs(pf: String, specLines: String, source: String) throws(SRIOVError) -> VFApplyReport {
        record("apply \(pf) \(specLines)")
        return VFApplyReport(pf: pf, outcomes: [VFApplyReport.Outcome(index: 0, applied: ["mac"])], requests: 1)
    }

    func health() -> AgentHealth {
        AgentHealth(version: "0.1.0", database: "/var/lib/sriovctl/state.db", configFile: "/etc/sriovctl/config.yaml",
                    sysfsRoot: "/sys")
    }
}
