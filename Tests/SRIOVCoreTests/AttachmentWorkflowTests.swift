import SRIOVCore
import SRIOVTesting
import Testing

@Suite("Attach and detach")
struct AttachmentWorkflowTests {
    @Test("attach gives a guest a free VF, a MAC from the pool, and programs MAC, VLAN, trust and spoofchk")
    func firstAttach() throws {
        let host = AttachmentFixture()
        let result = try host.attach("web1")
        #expect(result.outcome == .attached)
        #expect(result.vfIndex == 1, "VF 0 is excluded by the network")
        #expect(result.mac == mac("02:5a:00:00:00:00"))
        #expect(result.leaseCreated)
        let vf = host.vf(1)
        #expect(vf.mac == mac("02:5a:00:00:00:00"))
        #expect(vf.vlan == PortVLAN(id: 100))
        #expect(vf.trust == false && vf.spoofCheck == true)
        let snapshot = try host.store.read()
        #expect(snapshot.assignments.count == 1 && snapshot.assignments[0].state == .applied)
        #expect(snapshot.assignments[0].owner == nil)
        #expect(snapshot.assignments[0].savedState == FakeVFLinkControl.blankVF(1))
        #expect(try host.store.journal(limit: 1).first?.action == "attach")
    }

    @Test("attaching twice gives the same VF and MAC and sends nothing the second time")
    func idempotent() throws {
        let host = AttachmentFixture()
        let first = try host.attach("web1")
        host.links.clearRequests()
        let second = try host.attach("web1")
        #expect(second.outcome == .unchanged)
        #expect(second.vfIndex == first.vfIndex && second.mac == first.mac)
        #expect(host.links.requests.isEmpty)
        #expect(try host.store.read().leases.count == 1)
    }

    @Test("several guests get different VFs and MACs")
    func severalGuests() throws {
        let host = AttachmentFixture()
        let results = try ["a", "b", "c"].map { (g) throws(SRIOVError) in try host.attach(g) }
        #expect(Set(results.map(\.vfIndex)) == [1, 2, 3])
        #expect(Set(results.map(\.mac)).count == 3)
        #expect {
            try host.attach("d")
        } throws: { ($0 as! SRIOVError).code == .exhausted }
    }

    @Test("after the VFs are recreated (reboot, numvfs 0 and back) attach reprograms the same VF with the same MAC")
    func convergesAfterReset() throws {
        let host = AttachmentFixture()
        let first = try host.attach("web1")
        host.links.recreateVFs("eni10np1", count: 4)
        host.liveness.becomeProcess(101)
        let again = try host.attach("web1")
        #expect(again.outcome == .converged)
        #expect(again.vfIndex == first.vfIndex && again.mac == first.mac)
        #expect(host.vf(first.vfIndex).mac == first.mac && host.vf(first.vfIndex).vlan == PortVLAN(id: 100))
    }

    @Test("detach restores the VF and keeps the lease; the next attach gets the same MAC")
    func detachKeepsLease() throws {
        let host = AttachmentFixture()
        let first = try host.attach("web1")
        _ = try host.attach("other")
        let detached = try host.detach("web1")
        #expect(detached.outcome == "detached" && detached.leaseKept)
        #expect(host.vf(first.vfIndex) == FakeVFLinkControl.blankVF(first.vfIndex))
        let snapshot = try host.store.read()
        #expect(snapshot.assignment(for: LeaseKey(guest: "web1", network: "prod")) == nil)
        #expect(snapshot.lease(LeaseKey(guest: "web1", network: "prod"))?.mac == first.mac)

        _ = try host.attach("third")          // takes a free VF meanwhile
        let back = try host.attach("web1")
        #expect(back.mac == first.mac)
        #expect(back.leaseCreated == false)
    }

    @Test("detach of a lease without a VF succeeds and says so; an unknown lease is an error naming the guest's leases")
    func detachEdgeCases() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1")
        _ = try host.detach("web1")
        #expect(try host.detach("web1").outcome == "not-attached")
        #expect {
            try host.detach("web1", network: "pci")
        } throws: { ($0 as! SRIOVError).message.contains("its leases: prod (02:5a:00:00:00:00)") }
        #expect {
            try host.detach("nobody")
        } throws: { ($0 as! SRIOVError).code == .notFound }
    }

    @Test("detach --forget quarantines the MAC: nobody gets it again, an explicit --mac for it is refused")
    func forget() throws {
        let host = AttachmentFixture()
        let first = try host.attach("web1")
        let result = try host.detach("web1") { $0.forget = true }
        #expect(result.leaseKept == false)
        #expect(try host.store.read().quarantined(first.mac)?.formerGuest == "web1")
        let next = try host.attach("db1")
        #expect(next.mac != first.mac)
        #expect {
            try host.attach("db2") { $0.mac = first.mac }
        } throws: { ($0 as! SRIOVError).message.contains("quarantined: guest 'web1'") }
        // web1 itself may take its MAC back explicitly.
        let back = try host.attach("web1") { $0.mac = first.mac }
        #expect(back.mac == first.mac)
        #expect(try host.store.read().quarantined(first.mac) == nil)
    }

    @Test("detach by --mac finds the lease; a MAC of another guest is refused naming that guest")
    func detachByMAC() throws {
        let host = AttachmentFixture()
        let web = try host.attach("web1")
        _ = try host.attach("db1")
        #expect {
            try host.detach("db1", network: nil) { $0.mac = web.mac }
        } throws: { ($0 as! SRIOVError).message.contains("leased to guest 'web1'") }
        #expect(try host.detach("web1", network: nil) { $0.mac = web.mac }.outcome == "detached")
    }

    @Test("an explicit --mac leased to another guest is refused naming that guest, and nothing changes")
    func explicitLeasedMAC() throws {
        let host = AttachmentFixture()
        let web = try host.attach("web1")
        let before = try host.tables()
        #expect {
            try host.attach("db1") { $0.mac = web.mac }
        } throws: { ($0 as! SRIOVError).message.contains("leased to guest 'web1'") }
        #expect(try host.tables() == before)
    }

    @Test("bad input is refused before anything is recorded or programmed",
          arguments: [
            "vlan+virtualport", "bad-name", "unknown-network", "multicast", "vlan-range", "virtualport-on-vlan-network",
          ])
    func badInput(_ kind: String) throws {
        let host = AttachmentFixture()
        #expect(throws: SRIOVError.self) {
            switch kind {
            case "vlan+virtualport":
                _ = try host.attach("web1", network: "pci") {
                    $0.settings.vlan = PortVLAN(id: 5)
                    $0.virtualPort = VirtualPort(profileID: "p1")
                }
            case "bad-name": _ = try host.attach("web<1>")
            case "unknown-network": _ = try host.attach("web1", network: "nope")
            case "multicast": _ = try host.attach("web1") { $0.mac = mac("01:00:5e:00:00:01") }
            case "vlan-range": _ = try host.attach("web1") { $0.settings.vlan = PortVLAN(id: 5000) }
            default: _ = try host.attach("web1") { $0.virtualPort = VirtualPort(profileID: "p1") }
            }
        }
        #expect(host.store.committedUpdates == 0)
        #expect(host.links.requests.isEmpty)
    }

    @Test("the unknown-network error lists the known networks")
    func unknownNetworkMessage() {
        let host = AttachmentFixture()
        #expect {
            try host.attach("web1", network: "nope")
        } throws: { ($0 as! SRIOVError).message.contains("known networks: prod, pci") }
    }

    @Test("--vlan, --trust, --spoofchk, --link-state and rates are programmed; a new option on an attached guest reconfigures it")
    func options() throws {
        let host = AttachmentFixture()
        let first = try host.attach("web1") {
            $0.settings.vlan = PortVLAN(id: 200, qos: 3, proto: .ieee8021AD)
            $0.settings.trust = true
            $0.settings.spoofCheck = false
            $0.settings.linkState = .enable
            $0.settings.maxTxRate = 1000
        }
        var vf = host.vf(first.vfIndex)
        #expect(vf.vlan == PortVLAN(id: 200, qos: 3, proto: .ieee8021AD))
        #expect(vf.trust == true && vf.spoofCheck == false && vf.linkState == .enable && vf.maxTxRate == 1000)
        let again = try host.attach("web1") { $0.settings.vlan = PortVLAN(id: 300) }
        #expect(again.outcome == .reconfigured && again.vfIndex == first.vfIndex)
        vf = host.vf(first.vfIndex)
        #expect(vf.vlan == PortVLAN(id: 300) && vf.trust == false)
    }

    @Test("a lease whose VF disappeared (fewer VFs) moves to another VF with the same MAC")
    func moved() throws {
        let host = AttachmentFixture()
        _ = try host.attach("a")
        _ = try host.attach("b")
        let c = try host.attach("c")
        #expect(c.vfIndex == 3)
        host.links.recreateVFs("eni10np1", count: 3)
        host.discovery.update { inventory in
            inventory.pfs[1].numVFs = 3
            inventory.pfs[1].vfs = (0..<3).map { VirtualFunction(index: $0) }
        }
        _ = try host.detach("a")
        let moved = try host.attach("c")
        #expect(moved.outcome == .moved)
        #expect(moved.mac == c.mac && moved.vfIndex == 1)
    }

    @Test("a guest renamed in libvirt (same UUID) keeps its lease under the new name")
    func renamedGuest() throws {
        let host = AttachmentFixture()
        let first = try host.attach("web1") { $0.uuid = "6f1c1a2e-0000-4000-8000-000000000001" }
        _ = try host.detach("web1")
        let renamed = try host.attach("web1-new") { $0.uuid = "6F1C1A2E-0000-4000-8000-000000000001" }
        #expect(renamed.mac == first.mac && !renamed.leaseCreated)
        #expect(try host.store.read().guest(named: "web1") == nil)
    }

    @Test("a different guest reusing a recorded name (other UUID) is refused with advice")
    func nameReuse() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1") { $0.uuid = "6f1c1a2e-0000-4000-8000-000000000001" }
        #expect {
            try host.attach("web1") { $0.uuid = "6f1c1a2e-0000-4000-8000-0000000000ff" }
        } throws: { ($0 as! SRIOVError).message.contains("a different guest reusing the name") }
    }

    @Test("leases lists every lease with its VF, PF and state")
    func leaseReport() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1")
        _ = try host.attach("db1", network: "pci")
        _ = try host.detach("web1")
        let report = LeaseReport(snapshot: try host.store.read())
        #expect(report.leases.map(\.guest) == ["db1", "web1"])
        #expect(report.leases[0].state == "attached" && report.leases[0].vfPCIAddress == PCIAddress("0000:3b:02.0"))
        #expect(report.leases[0].pf == "enp59s0f0")
        #expect(report.leases[1].state == "free" && report.leases[1].vfIndex == nil)
        let table = report.renderTable()
        #expect(table.contains("0000:3b:02.0") && table.contains("free"))
    }
}
