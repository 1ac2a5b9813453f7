import SRIOVCore
import SRIOVTesting
import Testing

@Suite("VF choice")
struct AttachmentVFChoiceTests {
    /// A PCI PF with 3 VFs; VF 1 shares IOMMU group 21 with 0000:00:1f.3.
    func pciCandidates(bindings: FakeHostDevices, snapshot: StateSnapshot = StateSnapshot(),
                       exclude: Set<Int> = []) -> (NetworkPF, [VFCandidate]) {
        var (pf, status) = FakeHostBuilder.pciPF("enp59s0f0", address: "0000:3b:00.0", vfs: 3, firstVF: "0000:3b:02.0")
        pf.vfs[1].iommuGroupDevices = ["0000:00:1f.3", "0000:3b:02.1"]
        let networkPF = NetworkPF(pf: pf, status: status, excludedVFs: exclude)
        return (networkPF, VFCandidate.build(pfs: [networkPF], bindings: { bindings.binding(ofPCIDevice: $0) }))
    }

    @Test("a VF whose IOMMU group holds a device bound to a host driver is skipped")
    func iommuGroupBlocks() throws {
        let devices = FakeHostDevices()
        devices.bind("0000:00:1f.3", driver: "snd_hda_intel")
        let (pf, candidates) = pciCandidates(bindings: devices, exclude: [0])
        let chosen = try VFChooser.choose(for: LeaseKey(guest: "web1", network: "pci"), network: "pci", pfs: [pf],
                                          candidates: candidates, snapshot: StateSnapshot(), preferred: nil)
        #expect(chosen.key.index == 2)
    }

    @Test("group members bound to vfio-pci or pci-stub, unbound, or bridges do not block")
    func harmlessMembers() throws {
        for binding in [IOMMUGroupPeer(device: "-", driver: "vfio-pci", pciClass: "0x020000"), IOMMUGroupPeer(device: "-", driver: "pci-stub", pciClass: "0x020000"),
                        IOMMUGroupPeer(device: "-", driver: nil, pciClass: "0x020000"), IOMMUGroupPeer(device: "-", driver: "pcieport", pciClass: "0x060400")] {
            let devices = FakeHostDevices(bindings: ["0000:00:1f.3": binding])
            let (pf, candidates) = pciCandidates(bindings: devices, exclude: [0])
            let chosen = try VFChooser.choose(for: LeaseKey(guest: "web1", network: "pci"), network: "pci", pfs: [pf],
                                              candidates: candidates, snapshot: StateSnapshot(), preferred: nil)
            #expect(chosen.key.index == 1, "member bound as \(binding)")
        }
    }

    @Test("when no VF qualifies, the error says which device blocks which group, and what is excluded or assigned")
    func explainsBlockingDevice() {
        let devices = FakeHostDevices()
        devices.bind("0000:00:1f.3", driver: "snd_hda_intel")
        let (pf, candidates) = pciCandidates(bindings: devices, exclude: [0])
        var snapshot = StateSnapshot()
        snapshot.assignments = [AssignmentRecord(
            lease: LeaseKey(guest: "db1", network: "pci"), vf: candidates[2].key, vfPCIAddress: nil, state: .applied,
            savedState: nil, desired: VFSettings(), interface: GuestInterface(mac: .zero, vfPCIAddress: nil), owner: nil)]
        #expect {
            try VFChooser.choose(for: LeaseKey(guest: "web1", network: "pci"), network: "pci", pfs: [pf],
                                 candidates: candidates, snapshot: snapshot, preferred: nil)
        } throws: { error in
            let e = error as! SRIOVError
            return e.code == .exhausted
                && e.message.contains("IOMMU group 21 holds 0000:00:1f.3 bound to host driver snd_hda_intel")
                && e.message.contains("excluded by config: VF 0")
                && e.message.contains("assigned: VF 2 (db1)")
        }
    }

    @Test("netdevsim VFs have no IOMMU group and are eligible; the lease's last VF is preferred")
    func netdevsimAndPreference() throws {
        let (pf, status) = FakeHostBuilder.netdevsimPF("eni10np1", device: "netdevsim10", vfs: 4)
        let networkPF = NetworkPF(pf: pf, status: status)
        let candidates = VFCandidate.build(pfs: [networkPF], bindings: { _ in IOMMUGroupPeer(device: "-", driver: "igb", pciClass: "0x020000") })
        let lease = LeaseKey(guest: "web1", network: "prod")
        let first = try VFChooser.choose(for: lease, network: "prod", pfs: [networkPF], candidates: candidates,
                                         snapshot: StateSnapshot(), preferred: nil)
        #expect(first.key.index == 0)
        let preferred = try VFChooser.choose(for: lease, network: "prod", pfs: [networkPF], candidates: candidates,
                                             snapshot: StateSnapshot(), preferred: VFKey(pf: networkPF.record.id, index: 3))
        #expect(preferred.key.index == 3)
    }

    @Test("a VF carrying a MAC set outside sriovctl is left alone")
    func foreignMAC() throws {
        var (pf, status) = FakeHostBuilder.netdevsimPF("eni10np1", device: "netdevsim10", vfs: 2)
        status.vfs[0].mac = mac("52:54:00:aa:bb:cc")
        pf.numVFs = 2
        let networkPF = NetworkPF(pf: pf, status: status)
        let candidates = VFCandidate.build(pfs: [networkPF], bindings: { _ in IOMMUGroupPeer(device: "-", driver: nil, pciClass: "0x020000") })
        let chosen = try VFChooser.choose(for: LeaseKey(guest: "web1", network: "prod"), network: "prod",
                                          pfs: [networkPF], candidates: candidates, snapshot: StateSnapshot(),
                                          preferred: nil)
        #expect(chosen.key.index == 1)
    }

    @Test("a PF with no VFs is named in the error")
    func emptyPF() {
        let (pf, status) = FakeHostBuilder.netdevsimPF("eni10np1", device: "netdevsim10", vfs: 0)
        let networkPF = NetworkPF(pf: pf, status: status)
        #expect {
            try VFChooser.choose(for: LeaseKey(guest: "web1", network: "prod"), network: "prod", pfs: [networkPF],
                                 candidates: [], snapshot: StateSnapshot(), preferred: nil)
        } throws: { ($0 as! SRIOVError).message.contains("eni10np1 has no VFs") }
    }
}
