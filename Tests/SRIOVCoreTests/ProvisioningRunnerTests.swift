import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// Running provisioning plans against a simulated kernel.
@Suite("provisioning: running")
struct ProvisioningRunnerTests {
    typealias P = ProvisioningPlannerTests

    /// Plans and runs once; returns the plan and the report.
    static func provision(_ host: SimulatedSRIOVHost, _ pfs: [PFConfig], assigned: [AssignedVF] = [],
                          options: ProvisionOptions = .init()) -> (plan: ProvisionPlan, report: ProvisionReport) {
        let config = HostConfig(pfs: pfs)
        let observer = ProvisionObserver(discovery: host, links: host, devices: host, modules: host)
        let plan = ProvisionPlanner.plan(config: config, observation: observer.observe(config: config), assigned: assigned,
                                         options: options)
        let runner = ProvisionRunner(observer: observer, devices: host, modules: host, links: host)
        return (plan, runner.run(plan, assigned: assigned, options: options))
    }

    @Test("From scratch: VFs created, defaults and guests' MACs programmed in one request per PF; a second run does nothing")
    func scratchThenIdempotent() throws {
        let host = SimulatedSRIOVHost([P.netdevsim(), P.igb(P.pf0, netdev: "eth0")])
        let mac = MACAddress("02:5a:00:00:00:01")!
        let assigned = [AssignedVF(pfDevice: "netdevsim10", vfIndex: 2, guest: "web1", settings: VFSettings(mac: mac, trust: true))]
        let config = [PFConfig(selector: .netdev("eni10np1"), numVFs: 4, vfDefaults: VFSettings(spoofCheck: false)),
                      PFConfig(selector: .netdev("eth0"), numVFs: 3, vfDefaults: VFSettings(linkState: .enable))]
        let (_, report) = Self.provision(host, config, assigned: assigned)
        #expect(report.succeeded, "\(report.failures)")
        #expect(report.pfs.map(\.status) == [.changed, .changed])
        // Every PF's VFs first, then one look at them, then the settings, one request per PF.
        #expect(host.log == [
            "netdevsim10 sriov_numvfs=4", "0000:0b:00.0 sriov_numvfs=3",
            "eni10np1 setlink VFs 0,1,2,3", "eth0 setlink VFs 0,1,2",
        ])
        #expect(report.netlinkRequests == 2)
        let vf2 = try #require(host.pf("netdevsim10")?.vfs[2])
        #expect(vf2.mac == mac && vf2.trust == true && vf2.spoofCheck == false)

        let (plan, again) = Self.provision(host, config, assigned: assigned)
        #expect(plan.isNothingToDo)
        #expect(again.nothingToDo)
        #expect(ProvisionReportRenderer.renderSummary(again) == "nothing to do: 2 PFs already as configured")
        #expect(host.log.count == 4, "the second run changed nothing")
    }

    @Test("Changing a count writes 0 first (the kernel answers EBUSY otherwise)")
    func zeroThenN() {
        let host = SimulatedSRIOVHost([P.netdevsim(numVFs: 2)])
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 5)])
        #expect(report.succeeded)
        #expect(host.log == ["netdevsim10 sriov_numvfs=0", "netdevsim10 sriov_numvfs=5"])
    }

    @Test("A simulated reboot: VFs gone, every leased MAC comes back")
    func rebootRestoresMACs() throws {
        let host = SimulatedSRIOVHost([P.netdevsim()])
        let assigned = (0..<3).map {
            AssignedVF(pfDevice: "netdevsim10", vfIndex: $0, guest: "g\($0)",
                       settings: VFSettings(mac: MACAddress(integer: 0x02_5a_00_00_00_10 + UInt64($0)), vlan: PortVLAN(id: 10 + $0)))
        }
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 4)], assigned: assigned)
        #expect(report.succeeded)
        let vfs = try #require(host.pf("netdevsim10")?.vfs)
        #expect(vfs.prefix(3).map(\.mac.description) == ["02:5a:00:00:00:10", "02:5a:00:00:00:11", "02:5a:00:00:00:12"])
        #expect(vfs.prefix(3).map(\.vlan.id) == [10, 11, 12])
        #expect(vfs[3].mac == .zero)
    }

    @Test("A legacy driver answers ENOENT to sriov_numvfs: that PF fails with advice, the next PF is still done")
    func legacyENOENT() throws {
        let host = SimulatedSRIOVHost([P.igb(P.pf0, netdev: "eth0", legacy: true), P.netdevsim()])
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, vfDefaults: VFSettings(trust: true)),
                                                PFConfig(selector: .netdev("eni10np1"), numVFs: 2)])
        #expect(!report.succeeded)
        #expect(report.pfs.map(\.status) == [.failed, .changed])
        #expect(report.pfs[0].steps.map(\.status) == [.failed, .skipped])
        #expect(host.pf("netdevsim10")?.numVFs == 2)
        let rendered = ProvisionReportRenderer.renderResults(report)
        #expect(rendered.contains("eth0 (0000:0b:00.0): FAILED"))
        #expect(ProvisionReportRenderer.renderSummary(report) == "2 PFs: 1 changed, 1 failed")
    }

    @Test("A sriov_numvfs write that fails is reported as the writer said it, and nothing else runs for that PF")
    func refusedNumVFsWrite() {
        // The simulator words a driver's refusal as the sysfs adapter does (the sysfs contract
        // suite holds it to that); here only what the runner does with it.
        let host = SimulatedSRIOVHost([P.igb(P.pf0, netdev: "eth0")])
        host.driverRefusals["0000:0b:00.0"] = ENOSPC
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, vfDefaults: VFSettings(trust: true))])
        #expect(report.failures.map(\.errno) == [ENOSPC])
        #expect(report.failures.count == 1 && report.failures[0].message.hasPrefix("eth0 (0000:0b:00.0): writing 7 to sriov_numvfs: ENOSPC"),
                "\(report.failures)")
        #expect(host.log.allSatisfy { !$0.contains("setlink") }, "no VF was programmed after the failed write: \(host.log)")
    }

    @Test("A driver that enables fewer VFs than asked: the shortfall is a failure, the VFs that exist are programmed")
    func fewerThanAsked() throws {
        var sim = P.netdevsim()
        sim.enableLimit = 2
        let host = SimulatedSRIOVHost([sim])
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 4, vfDefaults: VFSettings(trust: true))])
        #expect(report.failures.map(\.message) == ["eni10np1 (netdevsim10): asked for 4 VFs, the driver enabled 2 (sriov_numvfs reads 2)"])
        #expect(host.log.last == "eni10np1 setlink VFs 0,1")
    }

    @Test("VFs that do not appear in time: the wait's failure is reported")
    func waitTimeout() {
        // The real wait and its words ("after 0.2 s, still missing: ...") are tested on a fixture
        // in ProvisionCommandTests (--vf-timeout).
        let host = SimulatedSRIOVHost([P.igb(P.pf0, netdev: "eth0")])
        host.slowDevices = ["0000:0b:00.0"]
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eth0"), numVFs: 2)])
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.code == .system)
    }

    @Test("A VF that cannot be bound to vfio-pci is named; the other VFs are still bound")
    func vfioBindFails() throws {
        let host = SimulatedSRIOVHost([P.igb(P.pf0, netdev: "eth0")])
        host.vfioRefusals = [PCIAddress("0000:0c:00.0")!]
        let (_, report) = Self.provision(host, [PFConfig(selector: .pciAddress(P.pf0), numVFs: 2, driversAutoprobe: false, vfio: true)])
        #expect(report.failures.map(\.message)
                == ["eth0 (0000:0b:00.0) VF 0: 0000:0c:00.0: not bound to vfio-pci after drivers_probe (no driver bound)"])
        #expect(report.failures.first?.code == .system)
        #expect(host.log.contains("0000:0c:00.1 driver=vfio-pci"), "\(host.log)")
        #expect(!host.log.contains("0000:0c:00.0 driver=vfio-pci"))
    }

    @Test("vfio: true binds the new VFs after creation, having looked at their IOMMU groups")
    func vfioAfterCreation() throws {
        let host = SimulatedSRIOVHost([P.igb(P.pf0, netdev: "eth0")])
        let (_, report) = Self.provision(host, [PFConfig(selector: .pciAddress(P.pf0), numVFs: 2, driversAutoprobe: false, vfio: true)])
        #expect(report.succeeded, "\(report.failures)")
        #expect(host.log == ["0000:0b:00.0 sriov_drivers_autoprobe=0", "0000:0b:00.0 sriov_numvfs=2",
                             "0000:0c:00.0 driver=vfio-pci", "0000:0c:00.1 driver=vfio-pci"])
        #expect(report.pfs[0].steps.map(\.step.action) == ["drivers_autoprobe", "num_vfs", "bind_vfio"])
    }

    @Test("A VF the driver refuses to program is named; the other VFs of the PF are still programmed")
    func partialProgramming() throws {
        let host = SimulatedSRIOVHost([P.netdevsim(numVFs: 3)])
        host.failingVFs["eni10np1"] = [1]
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 3, vfDefaults: VFSettings(trust: true))])
        #expect(report.failures.map(\.message) == ["eni10np1 VF 1: driver netdevsim does not support setting trust"])
        #expect(host.pf("netdevsim10")?.vfs.map(\.trust) == [true, false, true])
    }

    @Test("A driver refusing a setting on every VF: the first errors are listed, the rest counted")
    func manyErrorsSummed() {
        let host = SimulatedSRIOVHost([P.netdevsim(numVFs: 12)])
        host.failingVFs["eni10np1"] = Set(0..<12)
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 12, vfDefaults: VFSettings(trust: true))])
        #expect(report.failures.count == 12)
        let text = ProvisionReportRenderer.renderResults(report)
        #expect(text.components(separatedBy: "\n  error: ").count == 11)
        #expect(text.contains("  ... and 2 more errors (--json lists them all)"))
    }

    @Test("max_vfs with --reload-driver: file written, module reloaded, then the new VFs are programmed")
    func reloadDriver() throws {
        let host = SimulatedSRIOVHost([P.igb(P.pf0, netdev: "eth0", legacy: true), P.igb(P.pf1, netdev: "eth1", legacy: true)])
        let config = [PFConfig(selector: .netdev("eth0"), numVFs: 3, method: .maxVFs, vfDefaults: VFSettings(trust: true)),
                      PFConfig(selector: .netdev("eth1"), numVFs: 2, method: .maxVFs)]
        let (_, report) = Self.provision(host, config, options: .init(reloadDriver: true))
        #expect(report.succeeded, "\(report.failures)")
        #expect(host.log == ["write /etc/modprobe.d/sriovctl-igb.conf", "reload igb", "eth0 setlink VFs 0,1,2"])
        #expect(host.pfs.map(\.numVFs) == [3, 2])
        #expect(Self.provision(host, config).plan.isNothingToDo)
    }

    @Test("max_vfs without --reload-driver: the file is written and the PFs wait for a reload; exit status is success")
    func maxVFsPending() {
        let host = SimulatedSRIOVHost([P.igb(P.pf0, netdev: "eth0", legacy: true)])
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eth0"), numVFs: 7, method: .maxVFs)])
        #expect(report.succeeded)
        #expect(report.pfs.map(\.status) == [.pending])
        #expect(report.modules.map(\.status) == [.changed])
        #expect(ProvisionReportRenderer.renderResults(report).contains("module igb: wrote /etc/modprobe.d/sriovctl-igb.conf"))
        #expect(ProvisionReportRenderer.renderSummary(report) == "1 PF: 1 waiting for a module reload or reboot")
    }

    @Test("--json: the documented keys, explicit nulls, per-phase timings")
    func json() throws {
        let host = SimulatedSRIOVHost([P.netdevsim()])
        let (_, report) = Self.provision(host, [PFConfig(selector: .netdev("eni10np1"), numVFs: 2,
                                                         vfDefaults: VFSettings(trust: true), source: "c.yaml:4")])
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schemaVersion"] as? Int == 1)
        #expect(object["succeeded"] as? Bool == true)
        #expect(object["guest"] is NSNull)
        let timings = try #require(object["timings"] as? [String: Any])
        #expect(Set(timings.keys) == ["observeMs", "vfCreationMs", "vfioMs", "programmingMs", "totalMs", "netlinkRequests"])
        #expect(timings["netlinkRequests"] as? Int == 1)
        let pf = try #require((object["pfs"] as? [[String: Any]])?.first)
        #expect(pf["source"] as? String == "c.yaml:4")
        #expect(pf["status"] as? String == "changed")
        let steps = try #require(pf["steps"] as? [[String: Any]])
        #expect(steps.map { $0["action"] as? String } == ["num_vfs", "program_vfs"])
        #expect(steps[0]["from"] as? Int == 0 && steps[0]["to"] as? Int == 2)
        #expect((steps[1]["vfs"] as? [[String: Any]])?.count == 2)
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary["changed"] == 1 && summary["failed"] == 0)
    }
}
