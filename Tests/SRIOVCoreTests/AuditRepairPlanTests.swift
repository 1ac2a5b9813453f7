import SRIOVCore
import SRIOVTesting
import Testing

@Suite("Audit repair plan (--fix)")
struct AuditRepairPlanTests {
    typealias S = AuditSnapshots
    let web1VF = AuditVFID(pf: "eth0", index: 0)
    let db1VF = AuditVFID(pf: "eth0", index: 1)

    @Test("A clean host needs nothing")
    func clean() {
        let plan = AuditRepairPlan.plan(S.cleanHost())
        #expect(plan.actions.isEmpty && plan.skipped.isEmpty)
    }

    @Test("Drift re-applies only the drifted fields; a stale free VF is reset")
    func driftAndStale() {
        var input = S.cleanHost()
        input.pfs[0].vfs[1].live!.mac = MACAddress("02:5a:00:00:00:99")!
        input.pfs[0].vfs[1].live!.trust = true
        input.pfs[0].vfs[6].live!.mac = S.poolMAC(3)
        let plan = AuditRepairPlan.plan(input)
        #expect(plan.actions.map(\.vf) == [db1VF, AuditVFID(pf: "eth0", index: 6)])
        #expect(plan.actions[0].kind == .reapply)
        #expect(plan.actions[0].settings == VFSettings(mac: S.poolMAC(2), trust: false))
        #expect(plan.actions[1].kind == .reset)
        #expect(plan.actions[1].settings == .reset)
        #expect(plan.changesByPF.map(\.pf) == ["eth0"])
        #expect(plan.changesByPF[0].changes.map(\.index) == [1, 6])
    }

    @Test("A running guest's VF is left alone unless forced")
    func runningGuest() {
        var input = S.cleanHost()
        input.pfs[0].vfs[0].live!.mac = MACAddress("02:5a:00:00:00:99")!  // web1 runs
        let plan = AuditRepairPlan.plan(input)
        #expect(plan.actions.isEmpty)
        #expect(plan.skipped == [.init(vf: web1VF, reason: "guest web1 is running (use --force-running)")])
        #expect(AuditRepairPlan.plan(input, forceRunning: true).actions.map(\.vf) == [web1VF])
    }

    @Test("Without libvirt an assigned VF's guest may be running: left alone unless forced; a free VF is still reset")
    func withoutLibvirt() {
        var input = S.cleanHost()
        input.guests = nil
        input.pfs[0].vfs[1].live!.mac = MACAddress("02:5a:00:00:00:99")!   // db1, stopped, but who can tell
        input.pfs[0].vfs[6].live!.mac = S.poolMAC(3)                        // free, carries app1's MAC
        let plan = AuditRepairPlan.plan(input)
        #expect(plan.actions.map(\.vf.index) == [6])
        #expect(plan.skipped == [.init(vf: db1VF, reason: "guest db1 may be running: libvirt was not checked (use --force-running)")])
        #expect(AuditRepairPlan.plan(input, forceRunning: true).actions.map(\.vf.index) == [1, 6])
    }

    @Test("A free VF used by a running unknown guest is not reset; without libvirt it is")
    func foreignVF() {
        var input = S.cleanHost()
        input.pfs[0].vfs[4].live!.mac = MACAddress("52:54:00:00:00:42")!
        input.guests!.append(GuestDefinition(name: "rogue", uuid: "u", isActive: true, hostdevInterfaces: [
            GuestInterface(mac: MACAddress("52:54:00:00:00:42")!, vfPCIAddress: S.vfPCI(4))]))
        #expect(AuditRepairPlan.plan(input).actions.isEmpty)
        input.guests = nil
        #expect(AuditRepairPlan.plan(input).actions.map(\.kind) == [.reset])
    }

    @Test("--vf limits the plan")
    func only() {
        var input = S.cleanHost()
        input.pfs[0].vfs[5].live!.mac = S.poolMAC(9)
        input.pfs[0].vfs[6].live!.mac = S.poolMAC(10)
        let plan = AuditRepairPlan.plan(input, only: [AuditVFID(pf: "eth0", index: 6)])
        #expect(plan.actions.map(\.vf.index) == [6])
        #expect(AuditRepairPlan.knows(AuditVFID(pf: "eth0", index: 7), in: input))
        #expect(!AuditRepairPlan.knows(AuditVFID(pf: "eth0", index: 8), in: input))
        #expect(AuditVFID(argument: "eth0:6") == AuditVFID(pf: "eth0", index: 6))
        #expect(AuditVFID(argument: "eth0") == nil && AuditVFID(argument: ":3") == nil && AuditVFID(argument: "eth0:-1") == nil)
    }

    @Test("After the planned repairs the host audits clean")
    func repairedAuditsClean() {
        var input = S.cleanHost()
        input.pfs[0].vfs[1].live!.vlans = [PortVLAN(id: 7, qos: 2)]
        input.pfs[0].vfs[1].live!.linkState = .disable
        input.pfs[0].vfs[5].live!.mac = S.poolMAC(1)
        input.pfs[0].vfs[5].live!.trust = true
        let plan = AuditRepairPlan.plan(input)
        #expect(!AuditEngine.audit(input).findings.isEmpty)
        // Apply the plan the way the kernel would.
        for action in plan.actions {
            let s = action.settings
            var live = input.pfs[0].vfs[action.vf.index].live!
            if let mac = s.mac { live.mac = mac }
            if let vlan = s.vlan { live.vlans = [vlan] }
            if let v = s.spoofCheck { live.spoofCheck = v }
            if let v = s.trust { live.trust = v }
            if let v = s.linkState { live.linkState = v }
            input.pfs[0].vfs[action.vf.index].live = live
        }
        #expect(AuditEngine.audit(input).findings.isEmpty)
    }
}
