import Glibc
import SRIOVCore
import SRIOVTesting
import Testing

@Suite("Attach rollback and crash repair")
struct AttachmentRollbackTests {
    @Test("a netlink failure midway puts the VF back and leaves leases and assignments as before")
    func rollbackOnNetlinkFailure() throws {
        let host = AttachmentFixture()
        _ = try host.attach("db1")
        let before = try host.tables()
        // trust is the last attribute the kernel applies: MAC, VLAN, spoofchk are already set when it fails.
        host.links.inject(.init(netdev: "eni10np1", vf: 2, field: "trust",
                                error: SRIOVError(.notSupported, "eni10np1 VF 2: trust: operation not supported", errno: 95)))
        // Make trust differ so it is sent.
        host.links.setPF({ var s = try! host.links.readPF("eni10np1"); s.vfs[2].trust = true; return s }())
        #expect {
            try host.attach("web1")
        } throws: { error in
            let e = error as! SRIOVError
            return e.code == .notSupported && e.message.contains("trust") && e.message.contains("put back")
        }
        // The driver's refusal travels up whole: its errno on the error, and itself as the cause.
        do {
            _ = try host.attach("web1")
            Issue.record("the attach should fail again")
        } catch {
            #expect(error.errno == 95)
            #expect(error.cause?.message == "eni10np1 VF 2: trust: operation not supported")
            #expect(error.rootCause.errno == 95)
        }
        #expect(try host.tables() == before)
        var expected = FakeVFLinkControl.blankVF(2)
        expected.trust = true
        #expect(host.vf(2) == expected, "MAC, VLAN and spoofchk are undone; trust kept its old value")
        #expect(try host.store.journal(limit: 1).first?.action == "attach-rollback")
    }

    @Test("when putting the VF back fails too, the intent stays and the next run rolls it back")
    func rollbackFailsThenRepaired() throws {
        let host = AttachmentFixture()
        // The driver is busy resetting the VF (i40e answers EAGAIN): the VLAN fails after the MAC
        // went in, and so does the rollback's zero MAC (EAGAIN is not retried, unlike an EINVAL
        // for the zero MAC, which gets libvirt's placeholder).
        // The restorer tries the whole change, then field by field: both attempts fail.
        host.links.inject(.init(netdev: "eni10np1", vf: 1, attribute: .vlan, errno: EAGAIN, times: 1))
        host.links.inject(.init(netdev: "eni10np1", vf: 1, attribute: .mac, errno: EAGAIN, times: 2, onlyIfMAC: .zero))
        #expect {
            try host.attach("web1")
        } throws: { ($0 as! SRIOVError).message.contains("will retry") }
        let stuck = try host.store.read()
        #expect(stuck.assignments.first?.state == .intent)
        #expect(host.vf(1).mac == mac("02:5a:00:00:00:00"), "the MAC stayed programmed")

        host.links.clearFailures()
        host.liveness.becomeProcess(200)   // the process that failed is gone
        let result = try host.attach("db1")
        #expect(result.notes.contains { $0.hasPrefix("repaired: rolled back web1 on prod") })
        #expect(result.vfIndex == 1 && result.mac == mac("02:5a:00:00:00:00"),
                "the rolled-back VF and MAC (never given to a guest) are free again")
        let after = try host.store.read()
        #expect(after.lease(LeaseKey(guest: "web1", network: "prod")) == nil, "the lease created by the failed attach is gone")
        #expect(after.assignments.map(\.lease.guest) == ["db1"])
    }

    @Test("a crash after the intent was written (VF programmed or not) is rolled back by the next attach")
    func crashAfterIntent() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1")
        // Simulate a crash: another process (pid 300) recorded an intent for db1 on VF 2 and programmed the MAC.
        let crashed = FakeProcessLiveness.owner(300)
        let snapshot = try host.store.read()
        let pf = snapshot.pfs[0]
        let intent = AssignmentRecord(
            lease: LeaseKey(guest: "db1", network: "prod"), vf: VFKey(pf: pf.id, index: 2), vfPCIAddress: nil,
            state: .intent, savedState: FakeVFLinkControl.blankVF(2),
            desired: VFSettings(mac: mac("02:5a:00:00:00:01"), vlan: PortVLAN(id: 100), spoofCheck: true, trust: false),
            interface: GuestInterface(mac: mac("02:5a:00:00:00:01"), vfPCIAddress: nil), owner: crashed,
            leaseCreated: true)
        try host.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in
            StateUpdate(edits: [.recordGuest(GuestRecord(name: "db1"), renamedFrom: nil),
                                .createLease(LeaseRecord(key: intent.lease, mac: mac("02:5a:00:00:00:01"))),
                                .createAssignment(intent)])
        }
        _ = host.links.apply([VFChange(index: 2, settings: VFSettings(mac: mac("02:5a:00:00:00:01")))], on: "eni10np1")

        // While pid 300 runs, its row is left alone and the same lease is refused as busy.
        host.liveness.setRunning(crashed, true)
        #expect {
            try host.attach("db1")
        } throws: { ($0 as! SRIOVError).code == .busy && ($0 as! SRIOVError).message.contains("pid 300") }
        #expect(host.vf(2).mac == mac("02:5a:00:00:00:01"))

        // pid 300 died: the next run rolls it back and db1 can attach normally.
        host.liveness.setRunning(crashed, false)
        let result = try host.attach("db1")
        #expect(result.notes.contains { $0.contains("rolled back db1 on prod") })
        #expect(result.outcome == .attached)
        let final = try host.store.read()
        #expect(final.assignments.allSatisfy { $0.state == .applied })
        #expect(try host.store.journal(limit: nil).contains { $0.action == "repair-rollback" })
    }

    @Test("a crash during detach (state releasing) is completed by the next run, --forget included")
    func crashDuringDetach() throws {
        let host = AttachmentFixture()
        let web = try host.attach("web1")
        var snapshot = try host.store.read()
        var row = snapshot.assignments[0]
        row.state = .releasing
        row.owner = FakeProcessLiveness.owner(400)
        row.forgetOnRelease = true
        let marked = row
        try host.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in StateUpdate(edits: [.updateAssignment(marked)]) }

        let repair = try host.environment().repair.run()
        #expect(repair.repaired.count == 1 && repair.failures.isEmpty)
        #expect(host.vf(web.vfIndex) == FakeVFLinkControl.blankVF(web.vfIndex))
        snapshot = try host.store.read()
        #expect(snapshot.assignments.isEmpty && snapshot.leases.isEmpty)
        #expect(snapshot.quarantined(web.mac) != nil)
    }

    @Test("a repair that cannot restore the VF reports it and keeps the row for the next run")
    func repairRetries() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1")
        var row = try host.store.read().assignments[0]
        row.state = .releasing
        row.owner = FakeProcessLiveness.owner(500)
        let marked = row
        try host.store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in StateUpdate(edits: [.updateAssignment(marked)]) }
        host.links.inject(.init(netdev: "eni10np1", error: SRIOVError(.system, "eni10np1: EAGAIN")))
        let first = try host.environment().repair.run()
        #expect(first.failures.count == 1 && first.repaired.isEmpty)
        #expect(first.failures.first?.contains("could not restore mac, vlan") == true)
        host.links.clearFailures()
        host.liveness.becomeProcess(101)
        let second = try host.environment().repair.run()
        #expect(second.repaired.count == 1)
        #expect(try host.store.read().assignments.isEmpty)
    }

    @Test("a failed VF restore on detach keeps the assignment applied and says so")
    func detachRestoreFails() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1")
        let before = try host.tables()
        host.links.inject(.init(netdev: "eni10np1", error: SRIOVError(.system, "eni10np1 VF 1: EBUSY")))
        #expect {
            try host.detach("web1")
        } throws: { ($0 as! SRIOVError).message.contains("the VF stays assigned") }
        let after = try host.tables()
        #expect(after.leases == before.leases)
        #expect(after.assignments.map(\.state) == [.applied])
    }
}
