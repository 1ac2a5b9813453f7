import SRIOVCore
import Testing

/// The agent's pure pacing: bursts of events become one pass per PF once they settle, a
/// stream that never settles still gets passes, and a VF someone keeps changing is left alone.
@Suite("Agent pacing: coalescer, flap guard, event routing")
struct AgentCoalescingTests {
    let eth0 = PassTarget.pf("netdevsim1")

    @Test("A burst of 500 events on one PF makes one pass, once it has been quiet for the settle time")
    func burstMakesOnePass() {
        var coalescer = PassCoalescer(settleMilliseconds: 300, maxDelayMilliseconds: 5_000)
        for ms in 0..<500 { coalescer.record(eth0, at: ms * 2) }   // 1 s of events
        #expect(coalescer.takeDue(at: 1_000).isEmpty)
        #expect(coalescer.takeDue(at: 1_297).isEmpty)
        #expect(coalescer.nextDeadline == 1_298)
        let due = coalescer.takeDue(at: 1_298)
        #expect(due.map(\.target) == [eth0])
        #expect(due.first?.events == 500)
        #expect(coalescer.isEmpty)
        #expect(coalescer.takeDue(at: 10_000).isEmpty)
    }

    @Test("Events that never stop still make a pass every max delay")
    func endlessStreamIsCapped() {
        var coalescer = PassCoalescer(settleMilliseconds: 300, maxDelayMilliseconds: 2_000)
        var passes = 0
        for ms in stride(from: 0, to: 10_000, by: 100) {
            coalescer.record(eth0, at: ms)
            passes += coalescer.takeDue(at: ms).count
        }
        // At 2.0, 4.1, 6.2 and 8.3 s: each window opens with the first event after a pass.
        #expect(passes == 4)
    }

    @Test("Two PFs settle independently")
    func perPF() {
        var coalescer = PassCoalescer(settleMilliseconds: 300, maxDelayMilliseconds: 5_000)
        let other = PassTarget.pf("0000:01:00.0")
        coalescer.record(eth0, at: 0)
        coalescer.record(other, at: 200)
        #expect(coalescer.takeDue(at: 300).map(\.target) == [eth0])
        #expect(coalescer.takeDue(at: 499).isEmpty)
        #expect(coalescer.takeDue(at: 500).map(\.target) == [other])
    }

    @Test("A pending pass over every PF absorbs the single-PF passes waiting with it")
    func everyPFAbsorbs() {
        var coalescer = PassCoalescer(settleMilliseconds: 300, maxDelayMilliseconds: 5_000)
        coalescer.record(eth0, at: 0)
        coalescer.record(.everyPF, at: 0)
        coalescer.record(eth0, at: 100)
        let due = coalescer.takeDue(at: 400)
        #expect(due.map(\.target) == [.everyPF])
        #expect(due.first?.events == 3)
        #expect(coalescer.isEmpty)
    }

    @Test("The flap guard gives up once after N repairs within the window, then leaves the VF alone until the hold-off ends")
    func flapGuard() {
        var flapGuard = FlapGuard(maxRepairs: 3, windowMilliseconds: 10_000, holdOffMilliseconds: 60_000)
        let vf = FlapGuard.VF(pf: "netdevsim1", index: 2)
        let other = FlapGuard.VF(pf: "netdevsim1", index: 3)
        for ms in [0, 1_000, 2_000] {
            #expect(flapGuard.decide(vf, at: ms) == .repair)
            flapGuard.recordRepair(vf, at: ms)
        }
        #expect(flapGuard.decide(other, at: 2_500) == .repair)
        #expect(flapGuard.decide(vf, at: 3_000) == .giveUp(repairs: 3))
        #expect(flapGuard.decide(vf, at: 4_000) == .leftAlone)
        #expect(flapGuard.givenUp(at: 4_000) == [vf])
        #expect(flapGuard.decide(vf, at: 62_999) == .leftAlone)
        #expect(flapGuard.decide(vf, at: 63_000) == .repair)
        #expect(flapGuard.givenUp(at: 63_000).isEmpty)
    }

    @Test("Repairs spread wider than the window never trip the flap guard")
    func slowRepairsAreFine() {
        var flapGuard = FlapGuard(maxRepairs: 3, windowMilliseconds: 10_000, holdOffMilliseconds: 60_000)
        let vf = FlapGuard.VF(pf: "netdevsim1", index: 0)
        for ms in stride(from: 0, to: 100_000, by: 4_000) {
            #expect(flapGuard.decide(vf, at: ms) == .repair, "at \(ms) ms")
            flapGuard.recordRepair(vf, at: ms)
        }
    }

    @Test("Events map to the PF they concern; unknown new names mean every PF; unknown removals nothing")
    func routing() throws {
        let pfPCI = try #require(PCIAddress("0000:01:00.0"))
        let vfPCI = try #require(PCIAddress("0000:01:00.2"))
        let inventory = HostInventory(pfs: [
            PhysicalFunction(name: "eth0", pciAddress: nil, sysfsDevice: "netdevsim1", kind: .netdevsim,
                             netdevs: ["eth0"], numVFs: 2, vfs: [VirtualFunction(index: 0, pciAddress: nil, netdev: nil)]),
            PhysicalFunction(name: "enp1s0", pciAddress: pfPCI, sysfsDevice: "0000:01:00.0", kind: .pci,
                             netdevs: ["enp1s0"], numVFs: 1,
                             vfs: [VirtualFunction(index: 0, pciAddress: vfPCI, netdev: "enp1s0v0")]),
        ])
        let router = PFEventRouter(inventory: inventory)
        #expect(router.target(for: PFEvent(subject: .netdev("eth0"), change: .changed)) == .pf("netdevsim1"))
        #expect(router.target(for: PFEvent(subject: .netdev("enp1s0v0"), change: .changed)) == .pf("0000:01:00.0"))
        #expect(router.target(for: PFEvent(subject: .pci(vfPCI), change: .driverUnbound)) == .pf("0000:01:00.0"))
        #expect(router.target(for: PFEvent(subject: .pci(pfPCI), change: .removed)) == .pf("0000:01:00.0"))
        #expect(router.target(for: PFEvent(subject: .netdev("eth9"), change: .added)) == .everyPF)
        #expect(router.target(for: PFEvent(subject: .netdev("veth3"), change: .removed)) == nil)
        #expect(router.target(for: PFEvent(subject: .everyPF, change: .added)) == .everyPF)

        // sriov_numvfs changed without an event (netdevsim): noticed by reading the files.
        let files = ["bus/netdevsim/devices/netdevsim1/sriov_numvfs": 2, "bus/pci/devices/0000:01:00.0/sriov_numvfs": 1]
        #expect(router.vfCountChanges(reading: { files[$0] }).isEmpty)
        #expect(router.vfCountChanges(reading: { $0.contains("netdevsim1") ? 0 : files[$0] }) == [.pf("netdevsim1")])
        #expect(router.vfCountChanges(reading: { _ in nil }) == [.pf("0000:01:00.0"), .pf("netdevsim1")])
    }

    @Test("A repair is described field by field, old → new; fields already right are not listed")
    func fieldChanges() throws {
        let live = VFState(index: 3, mac: try #require(MACAddress("02:00:00:00:00:99")), vlans: [PortVLAN(id: 42)],
                           spoofCheck: true, trust: false)
        let wanted = VFSettings(mac: try #require(MACAddress("02:5a:00:00:00:01")), vlan: PortVLAN(id: 100),
                                spoofCheck: true, trust: true)
        #expect(VFFieldChange.changes(from: live, to: wanted).map(\.description)
                == ["mac 02:00:00:00:00:99 → 02:5a:00:00:00:01", "vlan 42 → 100", "trust off → on"])
        #expect(VFFieldChange.changes(from: nil, to: VFSettings(trust: true)).map(\.description) == ["trust ? → on"])
        // The repair metric's field label: VFField's names, as JSON and audit findings spell them.
        let limits = VFSettings(linkState: .disable, minTxRate: 10, maxTxRate: 100)
        #expect(VFFieldChange.changes(from: VFState(index: 3, linkState: .auto), to: limits).map(\.field)
                == [VFField.linkState.name, VFField.minTxRate.name, VFField.maxTxRate.name])
        #expect(VFFieldChange.changes(from: VFState(index: 3, linkState: .auto), to: limits).map(\.field)
                == ["linkState", "minTxRate", "maxTxRate"])
    }

    @Test("Statistics count passes by trigger, durations into buckets, repairs by PF and field")
    func statistics() {
        let recorder = AgentStatisticsRecorder()
        recorder.update {
            $0.recordPass(trigger: .event, seconds: 0.02, succeeded: true, endedAt: 100)
            $0.recordPass(trigger: .timer, seconds: 42, succeeded: false, endedAt: 200)
            $0.recordRepair(pf: "netdevsim1", field: "mac")
            $0.recordRepair(pf: "netdevsim1", field: "mac")
        }
        let snapshot = recorder.snapshot()
        #expect(snapshot.passesByTrigger == ["event": 1, "timer": 1])
        #expect(snapshot.passes == 2 && snapshot.failedPasses == 1)
        #expect(snapshot.lastSuccessfulPassTime == 100)
        #expect(snapshot.passDurationBucketCounts[2] == 1)          // <= 0.025 s
        #expect(snapshot.passDurationBucketCounts.last == 1)        // +Inf
        #expect(snapshot.repairs[.init(pf: "netdevsim1", field: "mac")] == 2)
    }
}
