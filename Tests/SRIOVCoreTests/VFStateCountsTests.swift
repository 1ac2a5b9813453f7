import SRIOVCore
import SRIOVTesting
import Testing

/// `sriovctl_vfs{pf,state}`: a PF's VFs by state, judged as the audit judges them.
@Suite("agent metrics: VFs per PF by state")
struct VFStateCountsTests {
    typealias S = AuditSnapshots

    @Test("A clean PF: its leased VFs are assigned, the rest free, nothing stale or drifted")
    func clean() {
        #expect(VFStateCounts.count(S.cleanHost()) == ["eth0": VFStateCounts(assigned: 2, free: 6)])
    }

    @Test("A leased VF with another MAC is drifted, a free VF carrying a MAC is stale; once repaired, neither")
    func driftedAndStale() {
        var input = S.cleanHost()
        input.pfs[0].vfs[1].live!.mac = MACAddress("02:5a:00:00:00:99")!
        input.pfs[0].vfs[6].live!.mac = S.poolMAC(3)
        input.pfs[0].vfs[7].live!.mac = MACAddress("52:54:00:12:34:56")!
        #expect(VFStateCounts.count(input) == ["eth0": VFStateCounts(assigned: 2, free: 6, stale: 2, drifted: 1)])
        let repaired: Set = [AuditVFID(pf: "eth0", index: 1), AuditVFID(pf: "eth0", index: 6)]
        #expect(VFStateCounts.count(input, repaired: repaired) == ["eth0": VFStateCounts(assigned: 2, free: 6, stale: 1)])
    }

    @Test("A VF an attach is working on is assigned, not drifted; a PF netlink could not read has no stale or drifted VFs")
    func inProgressAndUnreadable() {
        var input = S.cleanHost()
        input.pfs[0].vfs[1].live!.mac = MACAddress("02:5a:00:00:00:99")!
        input.assignments[1].inProgress = true
        #expect(VFStateCounts.count(input)["eth0"] == VFStateCounts(assigned: 2, free: 6))
        input.assignments[1].inProgress = false
        input.pfs[0].vfs[6].live!.mac = S.poolMAC(3)
        input.pfs[0].readError = "netlink: Operation not permitted"
        #expect(VFStateCounts.count(input)["eth0"] == VFStateCounts(assigned: 2, free: 6))
    }

    @Test("A PF without VFs is counted with zeros")
    func noVFs() {
        var input = S.cleanHost()
        input.pfs.append(AuditPF(name: "eth1", vfs: []))
        #expect(VFStateCounts.count(input)["eth1"] == VFStateCounts())
    }
}
