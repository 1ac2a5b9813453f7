import SRIOVCore
import SRIOVTesting
import Testing

/// VF pools by range (issue 16): `pfs: ["eth0#0-7"]` splits one PF between networks.
@Suite("Placement: VF pools by range")
struct PlacementPoolTests {
    @Test("pfs entries parse the sriov-network-operator's pfNames syntax")
    func parsesEntries() throws {
        #expect(try NetworkPFEntry(parsing: "eth0#0-7") == NetworkPFEntry(selector: .netdev("eth0"), vfRange: 0...7))
        #expect(try NetworkPFEntry(parsing: "0000:3b:00.1#8-31")
                == NetworkPFEntry(selector: .pciAddress(PCIAddress("0000:3b:00.1")!), vfRange: 8...31))
        #expect(try NetworkPFEntry(parsing: "pci:0000:3b:00.1#8-31")
                == NetworkPFEntry(selector: .pciAddress(PCIAddress("0000:3b:00.1")!), vfRange: 8...31))
        #expect(try NetworkPFEntry(parsing: "eth0#5") == NetworkPFEntry(selector: .netdev("eth0"), vfRange: 5...5))
        #expect(try NetworkPFEntry(parsing: "eth0") == NetworkPFEntry(selector: .netdev("eth0")))
        for bad in ["eth0#7-0", "eth0#", "eth0#a-b", "eth0#1-2-3", "#0-7", "pci:eth0#0-1", "eth0#+1-2"] {
            #expect(throws: SRIOVError.self, "\(bad)") { try NetworkPFEntry(parsing: bad) }
        }
    }

    /// One PCI PF with 8 VFs: `storage` takes 0-3, `tenant` 4-7.
    func splitFixture() -> AttachmentFixture {
        let fixture = AttachmentFixture()
        let pf = PFSelector.pciAddress(PCIAddress("0000:3b:00.0")!)
        let (pci, status) = FakeHostBuilder.pciPF("enp59s0f0", address: "0000:3b:00.0", vfs: 8, firstVF: "0000:3b:02.0")
        fixture.discovery.set(HostInventory(pfs: [pci]))
        fixture.links.setPF(status)
        fixture.config.networks = [
            NetworkDefinition(name: "storage", pfs: [pf], vfRanges: [pf: 0...3]),
            NetworkDefinition(name: "tenant", pfs: [.netdev("enp59s0f0")], vfRanges: [.netdev("enp59s0f0"): 4...7]),
        ]
        return fixture
    }

    @Test("two networks share a PF: each hands out only its own range, and says so when the range is full")
    func splitPF() throws {
        let fixture = splitFixture()
        var storage: [Int] = [], tenant: [Int] = []
        for i in 0..<4 {
            storage.append(try fixture.attach("s\(i)", network: "storage").vfIndex)
            tenant.append(try fixture.attach("t\(i)", network: "tenant").vfIndex)
        }
        #expect(storage == [0, 1, 2, 3])
        #expect(tenant == [4, 5, 6, 7])
        #expect {
            try fixture.attach("s4", network: "storage")
        } throws: { error in
            let e = error as! SRIOVError
            return e.code == .exhausted && e.message.contains("assigned: VF 0 (s0), 1 (s1), 2 (s2), 3 (s3)")
                && !e.message.contains("VF 4")
        }
    }

    @Test("a range beyond the PF's VFs is named in the refusal")
    func rangeBeyondVFs() {
        let fixture = splitFixture()
        fixture.config.networks[1].vfRanges = [.netdev("enp59s0f0"): 8...15]
        #expect {
            try fixture.attach("t0", network: "tenant")
        } throws: { ($0 as! SRIOVError).message.contains("enp59s0f0 has no VF in the network's range 8-15 (it has 8") }
    }

    @Test("overlapping ranges of one PF named two ways are refused on the host, naming both places")
    func overlapOnHost() {
        let fixture = splitFixture()
        fixture.config.networks[1].vfRanges = [.netdev("enp59s0f0"): 3...7]
        fixture.config.networks[0].pfSources = [.pciAddress(PCIAddress("0000:3b:00.0")!): "config.yaml:5: networks[0].pfs[0]"]
        fixture.config.networks[1].pfSources = [.netdev("enp59s0f0"): "config.yaml:9: networks[1].pfs[0]"]
        #expect {
            try fixture.attach("t0", network: "tenant")
        } throws: { error in
            let e = error as! SRIOVError
            return e.code == .invalidConfig && e.message.hasPrefix("config.yaml:9: networks[1].pfs[0]: ")
                && e.message.contains("VFs 3-7 of PF enp59s0f0 (the same PF as 0000:3b:00.0), which overlaps VFs 0-3")
                && e.message.contains("(config.yaml:5: networks[0].pfs[0])")
        }
        #expect((try? fixture.tables().assignments.isEmpty) == true)
    }

    @Test("a network without a range may not share a PF with a ranged one; two without ranges may, as before")
    func unrangedSharing() throws {
        let a = NetworkDefinition(name: "a", pfs: [.netdev("eth0")])
        let b = NetworkDefinition(name: "b", pfs: [.netdev("eth0")])
        try NetworkPoolOverlap.check([a, b])
        var ranged = b
        ranged.vfRanges = [.netdev("eth0"): 0...3]
        #expect(throws: SRIOVError.self) { try NetworkPoolOverlap.check([a, ranged]) }
        var other = a
        other.vfRanges = [.netdev("eth0"): 4...7]
        try NetworkPoolOverlap.check([other, ranged])
    }

    @Test("provision gives the VFs of a range their network's defaults, under the PF's per-VF overrides")
    func provisionPoolDefaults() {
        let (pf, status) = FakeHostBuilder.pciPF("enp59s0f0", address: "0000:3b:00.0", vfs: 8, firstVF: "0000:3b:02.0")
        let observed = ObservedPF(pf: pf, link: .success(status))
        var pfConfig = PFConfig(selector: .netdev("enp59s0f0"), numVFs: 8, vfDefaults: VFSettings(trust: false))
        pfConfig.vfOverrides[5] = VFSettings(vlan: PortVLAN(id: 999))
        let storage = NetworkDefinition(name: "storage", pfs: [.netdev("enp59s0f0")], vlan: PortVLAN(id: 10),
                                        vfDefaults: VFSettings(spoofCheck: true), vfRanges: [.netdev("enp59s0f0"): 0...3])
        let tenant = NetworkDefinition(name: "tenant", pfs: [.netdev("enp59s0f0")], vlan: PortVLAN(id: 20),
                                       vfRanges: [.netdev("enp59s0f0"): 4...7])
        var notes: [String] = []
        let folded = NetworkPoolSettings.apply([storage, tenant], to: pfConfig, observed: observed, in: [observed],
                                               notes: &notes)
        #expect(notes.isEmpty)
        #expect(folded.settings(forVF: 0) == VFSettings(vlan: PortVLAN(id: 10), spoofCheck: true, trust: false))
        #expect(folded.settings(forVF: 4) == VFSettings(vlan: PortVLAN(id: 20), trust: false))
        #expect(folded.settings(forVF: 5).vlan == PortVLAN(id: 999), "the PF's own override wins")
        // Overlapping ranges: nothing folded, and the reason is given.
        var overlapping = tenant
        overlapping.vfRanges = [.netdev("enp59s0f0"): 3...7]
        let refused = NetworkPoolSettings.apply([storage, overlapping], to: pfConfig, observed: observed,
                                                in: [observed], notes: &notes)
        #expect(refused == pfConfig)
        #expect(notes.first?.contains("overlaps") == true)
    }
}
