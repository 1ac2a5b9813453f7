import SRIOVCore
import SRIOVTesting
import Testing

/// Planning `sriovctl provision` from a config, the database and what the host shows.
@Suite("provisioning: planning")
struct ProvisioningPlannerTests {
    static let pf0 = PCIAddress("0000:0b:00.0")!
    static let pf1 = PCIAddress("0000:0b:00.1")!

    /// A netdevsim PF `eni10np1` (netdevsim10) with `numVFs` VFs.
    static func netdevsim(numVFs: Int = 0) -> SimulatedSRIOVHost.PF {
        .init(netdev: "eni10np1", pciAddress: nil, sysfsDevice: "netdevsim10", driver: "netdevsim", totalVFs: nil,
              numVFs: numVFs, autoprobe: nil)
    }

    /// An 82576-like igb port.
    static func igb(_ address: PCIAddress, netdev: String, numVFs: Int = 0, legacy: Bool = false) -> SimulatedSRIOVHost.PF {
        .init(netdev: netdev, pciAddress: address, driver: "igb", totalVFs: 7, numVFs: numVFs, vfDriver: "igbvf",
              legacy: legacy, permanentMAC: MACAddress("00:1b:21:aa:bb:0\(address.function)"))
    }

    static func plan(_ host: SimulatedSRIOVHost, _ pfs: [PFConfig], assigned: [AssignedVF] = [],
                     options: ProvisionOptions = .init()) -> ProvisionPlan {
        let config = HostConfig(pfs: pfs)
        let observer = ProvisionObserver(discovery: host, links: host, devices: host, modules: host)
        return ProvisionPlanner.plan(config: config, observation: observer.observe(config: config), assigned: assigned,
                                     options: options)
    }

    @Test("A fresh netdevsim PF: create the VFs, then program their defaults in one batch")
    func freshPF() throws {
        let host = SimulatedSRIOVHost([Self.netdevsim()])
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 4,
                                             vfDefaults: VFSettings(spoofCheck: false, trust: true), source: "c.yaml:3")])
        let pf = try #require(plan.pfs.first)
        #expect(pf.refusal == nil && pf.problems.isEmpty)
        #expect(pf.steps.map(\.action) == ["num_vfs", "program_vfs"])
        #expect(pf.steps[0].summary == "sriov_numvfs 0 → 4")
        guard case .programVFs(let set) = pf.steps[1] else { Issue.record("no programming step"); return }
        #expect(set.vfs.map(\.index) == [0, 1, 2, 3])
        #expect(!set.liveStateKnown)
        #expect(pf.steps[1].details == ["VFs 0-3: spoofchk off, trust on"])
        #expect(!plan.isNothingToDo)
    }

    @Test("A PF already as configured needs nothing, and the plan says so")
    func alreadyConfigured() {
        let host = SimulatedSRIOVHost([Self.netdevsim(numVFs: 4)])
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 4,
                                             vfDefaults: VFSettings(spoofCheck: true, trust: false))])
        #expect(plan.isNothingToDo)
        let report = ProvisionReport(plan: plan, guest: nil)
        #expect(ProvisionReportRenderer.renderSummary(report) == "nothing to do: 1 PF already as configured")
    }

    @Test("Only what differs from the live state is sent")
    func differenceOnly() throws {
        var sim = Self.netdevsim(numVFs: 2)
        sim.vfs[1].trust = true
        let host = SimulatedSRIOVHost([sim])
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 2,
                                             vfDefaults: VFSettings(spoofCheck: true, trust: true))])
        guard case .programVFs(let set) = try #require(plan.pfs.first?.steps.first) else {
            Issue.record("expected programming only"); return
        }
        #expect(set.liveStateKnown)
        #expect(set.vfs == [VFProgramming(index: 0, settings: VFSettings(trust: true))])
    }

    @Test("More VFs than sriov_totalvfs is refused, naming the config file and line")
    func aboveTotal() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0")])
        let plan = Self.plan(host, [PFConfig(selector: .pciAddress(Self.pf0), numVFs: 9, source: "/etc/sriovctl/config.yaml:12")])
        let refusal = try #require(plan.pfs.first?.refusal)
        #expect(refusal.code == .invalidConfig)
        #expect(refusal.message == "/etc/sriovctl/config.yaml:12: PF eth0 (0000:0b:00.0): num_vfs 9 is more than sriov_totalvfs 7")
        #expect(plan.pfs.first?.steps.isEmpty == true)
    }

    @Test("Changing the count while a VF is assigned is refused, naming the guest; --force allows it")
    func assignedBlocksRecreate() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0", numVFs: 4)])
        let assigned = [AssignedVF(pfDevice: "0000:0b:00.0", vfIndex: 2, guest: "web1",
                                   settings: VFSettings(mac: MACAddress("02:5a:00:00:00:01")))]
        let config = [PFConfig(selector: .netdev("eth0"), numVFs: 6, source: "c.yaml:4")]
        let refused = try #require(Self.plan(host, config, assigned: assigned).pfs.first?.refusal)
        #expect(refused.code == .busy)
        #expect(refused.message.contains("c.yaml:4: PF eth0 (0000:0b:00.0): changing sriov_numvfs 4 → 6"))
        #expect(refused.message.contains("VF 2 is assigned to web1"))
        #expect(refused.message.contains("--force"))

        let forced = try #require(Self.plan(host, config, assigned: assigned, options: .init(force: true)).pfs.first)
        #expect(forced.refusal == nil)
        #expect(forced.steps.first?.summary == "sriov_numvfs 4 → 6 (write 0, then 6); --force: destroys VF 2 of web1")
    }

    @Test("After a reboot (no VFs), creating them is not blocked by assignments, and leased MACs are planned back")
    func rebootRestore() throws {
        let host = SimulatedSRIOVHost([Self.netdevsim()])
        let mac = MACAddress("02:5a:00:00:00:07")!
        let assigned = [AssignedVF(pfDevice: "netdevsim10", vfIndex: 1, guest: "db1",
                                   settings: VFSettings(mac: mac, vlan: PortVLAN(id: 100, qos: 3, proto: .ieee8021AD)))]
        let pf = try #require(Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 2)], assigned: assigned).pfs.first)
        #expect(pf.refusal == nil)
        guard case .programVFs(let set) = pf.steps.last else { Issue.record("no programming"); return }
        #expect(set.vfs == [VFProgramming(index: 1, guest: "db1", settings: VFSettings(mac: mac, vlan: PortVLAN(id: 100, qos: 3, proto: .ieee8021AD)))])
        #expect(pf.steps.last?.details == ["VF 1 (db1): mac 02:5a:00:00:00:07, vlan 100:3 802.1ad"])
    }

    @Test("An assigned VF beyond the configured count is reported: its guest loses it")
    func assignedBeyondCount() throws {
        let host = SimulatedSRIOVHost([Self.netdevsim()])
        let assigned = [AssignedVF(pfDevice: "netdevsim10", vfIndex: 5, guest: "web1", settings: VFSettings(trust: true))]
        let pf = try #require(Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 2, source: "c:1")],
                                        assigned: assigned).pfs.first)
        #expect(pf.problems.map(\.message) == ["c:1: PF eni10np1 (netdevsim10): VF 5 is assigned to web1, but the PF will have 2 VFs; its settings cannot be restored"])
    }

    @Test("A PF named twice (by netdev and by PCI address) is refused the second time")
    func duplicatePF() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0")])
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 2, source: "c:3"),
                                    PFConfig(selector: .pciAddress(Self.pf0), numVFs: 4, source: "c:9")])
        #expect(plan.pfs.count == 2)
        #expect(plan.pfs[1].refusal?.message == "c:9: PF 0000:0b:00.0 is eth0 (0000:0b:00.0), which is already declared at c:3")
    }

    @Test("A PF that is not there is refused with the PFs that are; the others are still planned")
    func missingPF() throws {
        let host = SimulatedSRIOVHost([Self.netdevsim()])
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eth9"), numVFs: 2, source: "c:3"),
                                    PFConfig(selector: .netdev("eni10np1"), numVFs: 2, source: "c:7")])
        #expect(plan.pfs[0].refusal?.message == "c:3: PF eth9: no SR-IOV PF has the netdev 'eth9' (PFs here: eni10np1 (netdevsim10))")
        #expect(plan.pfs[1].steps.map(\.action) == ["num_vfs"])
    }

    @Test("A PF is found by its permanent MAC (IFLA_PERM_ADDRESS)")
    func permanentMAC() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0"), Self.igb(Self.pf1, netdev: "eth1")])
        let plan = Self.plan(host, [PFConfig(selector: .permanentMAC(MACAddress("00:1b:21:aa:bb:01")!), numVFs: 3)])
        #expect(plan.pfs.first?.device == "0000:0b:00.1")
        #expect(plan.pfs.first?.steps.first?.summary == "sriov_numvfs 0 → 3")
    }

    @Test("drivers_autoprobe is written before the VFs are created")
    func autoprobeFirst() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0")])
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 2, driversAutoprobe: false, vfio: true)])
        let pf = try #require(plan.pfs.first)
        #expect(pf.steps.map(\.action) == ["drivers_autoprobe", "num_vfs", "bind_vfio"])
        #expect(pf.steps[0].summary == "sriov_drivers_autoprobe 1 → 0")
        #expect(pf.steps[2].summary == "bind VFs 0-1 to vfio-pci (after creation)")
    }

    @Test("vfio: true on netdevsim is refused: its VFs are not PCI functions")
    func vfioNeedsPCI() throws {
        let host = SimulatedSRIOVHost([Self.netdevsim()])
        let refusal = try #require(Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 2, vfio: true, source: "c:2")])
            .pfs.first?.refusal)
        #expect(refusal.message.contains("c:2: PF eni10np1 (netdevsim10): vfio: true needs PCI VFs"))
    }

    @Test("vfio: a VF whose IOMMU group holds an endpoint on a host driver is not bound; the blocker is named")
    func iommuGroupBlocked() throws {
        var sim = Self.igb(Self.pf0, netdev: "eth0", numVFs: 2)
        sim.sharedGroup = (8, [IOMMUGroupPeer(device: "0000:00:1c.0", driver: "pcieport", pciClass: "0x060400"),
                               IOMMUGroupPeer(device: "0000:05:00.0", driver: "xhci_hcd", pciClass: "0x0c0330")])
        let host = SimulatedSRIOVHost([sim])
        let pf = try #require(Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 2, vfio: true)]).pfs.first)
        #expect(pf.problems.count == 2)
        #expect(pf.problems[0].message.contains("VF 0 (0000:0c:00.0) not bound to vfio-pci: its IOMMU group 8 also holds 0000:05:00.0 (bound to xhci_hcd)"))
        #expect(!pf.problems[0].message.contains("1c.0"), "bridges do not block")
        #expect(!pf.steps.contains { $0.action == "bind_vfio" })
    }

    @Test("vfio: VFs alone in their groups are bound; those already on vfio-pci are left alone")
    func vfioBindsExisting() throws {
        var sim = Self.igb(Self.pf0, netdev: "eth0", numVFs: 3)
        sim.vfDrivers[1] = "vfio-pci"
        let host = SimulatedSRIOVHost([sim])
        let pf = try #require(Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 3, vfio: true)]).pfs.first)
        guard case .bindVFIO(let set) = pf.steps.first else { Issue.record("no binding"); return }
        #expect(set.vfs.map(\.index) == [0, 2])
        #expect(pf.steps.first?.summary == "bind to vfio-pci: VFs 0, 2 from igbvf")
    }

    @Test("max_vfs on a legacy igb: one modprobe.d file for both ports, values in PCI order; a reload is pending")
    func maxVFsPerPort() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf1, netdev: "eth1", legacy: true),
                                       Self.igb(Self.pf0, netdev: "eth0", legacy: true)])
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, method: .maxVFs),
                                    PFConfig(selector: .netdev("eth1"), numVFs: 4, method: .maxVFs)])
        let module = try #require(plan.modules.first)
        #expect(module.module.path == "/etc/modprobe.d/sriovctl-igb.conf")
        #expect(module.contents?.contains("\noptions igb max_vfs=7,4\n") == true)
        #expect(module.writeFile && !module.reload)
        #expect(plan.pfs.map { $0.steps.map(\.summary) } == [
            ["0 → 7 VFs needs a reload of module igb or a reboot (--reload-driver does it)"],
            ["0 → 4 VFs needs a reload of module igb or a reboot (--reload-driver does it)"]])
        let report = ProvisionReport(plan: plan, guest: nil)
        #expect(report.pfs.map(\.status) == [.pending, .pending])
        #expect(report.succeeded)
    }

    @Test("max_vfs: a port not in the config keeps its count; a single-valued parameter must agree")
    func maxVFsShapes() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0", legacy: true),
                                       Self.igb(Self.pf1, netdev: "eth1", numVFs: 2, legacy: true)])
        let one = Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, method: .maxVFs)])
        #expect(one.modules.first?.contents?.contains("options igb max_vfs=7,2\n") == true)
        #expect(one.modules.first?.ports.map(\.source) == ["config", nil])

        host.shapes["igb"] = .single
        let single = Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, method: .maxVFs)])
        #expect(single.modules.first?.contents?.contains("options igb max_vfs=7\n") == true)
        #expect(single.modules.first?.notes.first?.contains("max_vfs=7 also applies to 0000:0b:00.1") == true)

        let conflict = Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, method: .maxVFs, source: "c:2"),
                                        PFConfig(selector: .netdev("eth1"), numVFs: 3, method: .maxVFs, source: "c:5")])
        #expect(conflict.modules.first?.refusal?.message
            == "module igb: its max_vfs is one value for every port, but the config asks for 7 on eth0 (0000:0b:00.0) (c:2), 3 on eth1 (0000:0b:00.1) (c:5)")
    }

    @Test("max_vfs: the file already right and the count right means nothing to do")
    func maxVFsSettled() {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0", numVFs: 7, legacy: true)])
        let config = [PFConfig(selector: .netdev("eth0"), numVFs: 7, method: .maxVFs)]
        let first = Self.plan(host, config)
        host.files["igb"] = first.modules.first?.contents
        #expect(Self.plan(host, config).isNothingToDo)
    }

    @Test("--reload-driver is refused while a VF of that driver is assigned")
    func reloadBlocked() throws {
        let host = SimulatedSRIOVHost([Self.igb(Self.pf0, netdev: "eth0", numVFs: 2, legacy: true),
                                       Self.igb(Self.pf1, netdev: "eth1", numVFs: 2, legacy: true)])
        let assigned = [AssignedVF(pfDevice: "0000:0b:00.1", vfIndex: 0, guest: "web1", settings: VFSettings())]
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, method: .maxVFs)], assigned: assigned,
                             options: .init(reloadDriver: true))
        let module = try #require(plan.modules.first)
        #expect(!module.reload)
        #expect(module.reloadRefusal?.message == "module igb: not reloaded, because VF 0 of 0000:0b:00.1 is assigned to web1; detach the guests first, or reboot")
    }

    @Test("--guest plans only that guest's VFs, and never VF creation")
    func guestMode() throws {
        var sim = Self.netdevsim(numVFs: 4)
        sim.vfs[3].trust = false
        let host = SimulatedSRIOVHost([sim])
        let assigned = [AssignedVF(pfDevice: "netdevsim10", vfIndex: 3, guest: "web1", settings: VFSettings(trust: true)),
                        AssignedVF(pfDevice: "netdevsim10", vfIndex: 0, guest: "db1", settings: VFSettings(trust: true))]
        let plan = Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 8, vfDefaults: VFSettings(spoofCheck: false))],
                             assigned: assigned, options: .init(guest: "web1"))
        let pf = try #require(plan.pfs.first)
        #expect(pf.steps.count == 1)
        guard case .programVFs(let set) = pf.steps[0] else { Issue.record("no programming"); return }
        #expect(set.vfs == [VFProgramming(index: 3, guest: "web1", settings: VFSettings(spoofCheck: false, trust: true))])

        let nobody = Self.plan(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 8)], assigned: assigned,
                               options: .init(guest: "other"))
        #expect(nobody.pfs.isEmpty && nobody.isNothingToDo)
        #expect(ProvisionReportRenderer.renderSummary(ProvisionReport(plan: nobody, guest: "other"))
            == "nothing to do: guest other holds no VF")
    }

    @Test("Guests' VFs on a PF the config does not list are restored too")
    func restoreOnlyPF() throws {
        let host = SimulatedSRIOVHost([Self.netdevsim(numVFs: 2)])
        let mac = MACAddress("02:5a:00:00:00:09")!
        let assigned = [AssignedVF(pfDevice: "netdevsim10", vfIndex: 1, guest: "web1", settings: VFSettings(mac: mac)),
                        AssignedVF(pfDevice: "0000:99:00.0", vfIndex: 0, guest: "gone1", settings: VFSettings(mac: mac))]
        let plan = Self.plan(host, [], assigned: assigned)
        #expect(plan.pfs.count == 2)
        #expect(plan.pfs[0].refusal?.message == "PF 0000:99:00.0: not found on this host; the VFs of gone1 on it cannot be restored")
        guard case .programVFs(let set) = plan.pfs[1].steps.first else { Issue.record("no programming"); return }
        #expect(set.vfs == [VFProgramming(index: 1, guest: "web1", settings: VFSettings(mac: mac))])
    }

    @Test("Without netlink the live state is unknown: full settings are planned, with a note")
    func noNetlink() throws {
        let host = SimulatedSRIOVHost([Self.netdevsim(numVFs: 2)])
        let config = HostConfig(pfs: [PFConfig(selector: .netdev("eni10np1"), numVFs: 2, vfDefaults: VFSettings(trust: false))])
        let observer = ProvisionObserver(discovery: host, links: nil, devices: host, modules: host)
        let plan = ProvisionPlanner.plan(config: config, observation: observer.observe(config: config), assigned: [], options: .init())
        let pf = try #require(plan.pfs.first)
        #expect(pf.steps.first?.summary == "program 2 VFs over netlink (live state unknown: full settings)")
        #expect(pf.notes.first?.contains("--no-netlink") == true)
    }

    @Test("VF index ranges read the way people write them")
    func ranges() {
        #expect(VFIndexRanges.text([0, 1, 2, 3, 5, 7, 8, 9]) == "0-3, 5, 7-9")
        #expect(VFIndexRanges.label([4]) == "VF 4")
        #expect(VFIndexRanges.label([2, 1]) == "VFs 1-2")
    }
}
