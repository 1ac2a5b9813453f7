import Foundation
import SRIOVCore
import SRIOVLinux
import SRIOVLinuxPrograms
import SRIOVTesting
import Testing

/// The sysfs and modprobe.d side of provisioning, on fixture trees.
@Suite("provisioning: sysfs and modprobe.d")
struct ProvisioningSysfsTests {
    static func control(_ fixture: SysfsFixture, timeout: Duration = .milliseconds(50)) -> SysfsSRIOVDeviceControl {
        SysfsSRIOVDeviceControl(sysfs: SysfsTree(root: fixture.root), pollInterval: .milliseconds(5))
    }

    static func pf(_ fixture: SysfsFixture, _ name: String) throws -> PhysicalFunction {
        try SysfsHostDiscovery(sysfs: SysfsTree(root: fixture.root)).discover().pf(matching: name)
    }

    @Test("sriov_numvfs is written where the kernel has it: PCI PFs and netdevsim devices")
    func writesNumVFs() throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 0)
        let control = Self.control(fixture)
        let pf = try Self.pf(fixture, "eni10np1")
        try control.writeNumVFs(8, on: pf)
        #expect(fixture.read("devices/netdevsim10/sriov_numvfs") == "8")
        #expect(try control.readNumVFs(of: pf) == 8)
        try control.waitForVFs(8, of: pf, timeout: .milliseconds(50))

        let igb = try HostFixtures.igbLegacy()
        try Self.control(igb).writeNumVFs(3, on: try Self.pf(igb, "eth1"))
        #expect(igb.read("devices/pci0000:00/0000:0b:00.1/sriov_numvfs") == "3")
    }

    @Test("A driver without sysfs SR-IOV (ENOENT) gets an error that names the PF and suggests max_vfs")
    func enoent() throws {
        let fixture = try HostFixtures.igbLegacy(numVFsAttribute: false)
        let pf = try Self.pf(fixture, "eth0")
        #expect(pf.numVFs == nil)
        do {
            try Self.control(fixture).writeNumVFs(7, on: pf)
            Issue.record("the write succeeded")
        } catch {
            #expect(error.code == .notSupported)
            #expect(error.errno == ENOENT)
            #expect(error.message.hasPrefix("eth0 (0000:0b:00.0): the device has no sriov_numvfs (ENOENT"))
            #expect(error.message.contains("set `method: max_vfs` for this PF"))
        }
    }

    @Test("Waiting for VFs: returns once every virtfn link and VF netdev is there")
    func waitSucceeds() throws {
        let fixture = try HostFixtures.intel82576()
        try Self.control(fixture).waitForVFs(7, of: try Self.pf(fixture, "eth0"), timeout: .milliseconds(50))
    }

    @Test("Waiting for VFs times out naming the missing virtfn link and the netdev a network driver has not made")
    func waitTimesOut() throws {
        let fixture = try SysfsFixture()
        let pfDir = try fixture.addPCIDevice("0000:01:00.0", driver: "ice")
        try fixture.makePF(pfDir, totalVFs: 8, numVFs: 2)
        try fixture.addNetdev("ens1", deviceDir: pfDir)
        try fixture.addVF(pfDir: pfDir, index: 0, address: "0000:01:01.0", driver: "iavf")
        let pf = try Self.pf(fixture, "ens1")
        do {
            try Self.control(fixture).waitForVFs(2, of: pf, timeout: .milliseconds(30))
            Issue.record("no timeout")
        } catch {
            #expect(error.message == "ens1 (0000:01:00.0): after 0 s, still missing: the netdev of VF 0 (0000:01:01.0, iavf), VF 1 (no virtfn1 link)")
        }
    }

    @Test("vfio-pci binding writes driver_override, unbinds from the host driver, probes, then checks the result")
    func bindVFIO() throws {
        let fixture = try HostFixtures.intel82576()
        let control = Self.control(fixture)
        let vf = PCIAddress("0000:0b:10.0")!
        #expect(throws: SRIOVError(.notSupported, "0000:0b:10.0: the vfio-pci driver is not loaded (modprobe vfio-pci)")) {
            try control.bindVFIO(vf)
        }
        try fixture.addDriver("vfio-pci")
        do {
            try control.bindVFIO(vf)
            Issue.record("a fixture cannot rebind; expected the check to fail")
        } catch {
            // The fixture's driver link does not move, so the final check reports it: what a user
            // sees when vfio-pci refuses a device.
            #expect(error.message == "0000:0b:10.0: not bound to vfio-pci after drivers_probe (still bound to igbvf)")
        }
        let dir = "devices/pci0000:00/0000:00:01.0/0000:0b:10.0"
        #expect(fixture.read("\(dir)/driver_override") == "vfio-pci")
        #expect(fixture.read("bus/pci/drivers/igbvf/unbind") == "0000:0b:10.0")
        #expect(fixture.read("bus/pci/drivers_probe") == "0000:0b:10.0")
    }

    @Test("IOMMU group members come with driver and class: endpoints on host drivers block, bridges do not")
    func groupMembers() throws {
        let fixture = try HostFixtures.sharedIOMMUGroup()
        let members = Self.control(fixture).iommuGroupMembers(8)
        #expect(members.map(\.device) == ["0000:00:1c.0", "0000:00:1c.4", "0000:04:00.0", "0000:04:10.0", "0000:05:00.0"])
        #expect(members.filter(\.blocksPassthrough).map(\.device) == ["0000:04:00.0", "0000:05:00.0"])
    }

    @Test("Planning vfio on the shared-group fixture names each blocking device and its driver")
    func vfioPlanOnFixture() throws {
        let fixture = try HostFixtures.sharedIOMMUGroup()
        let sysfs = SysfsTree(root: fixture.root)
        let devices = SysfsSRIOVDeviceControl(sysfs: sysfs)
        let observer = ProvisionObserver(discovery: SysfsHostDiscovery(sysfs: sysfs), links: nil, devices: devices,
                                         modules: ModprobeModuleControl(sysfs: sysfs, etcRoot: fixture.root + "/etc"))
        let config = HostConfig(pfs: [PFConfig(selector: .netdev("eno1"), numVFs: 1, vfio: true, source: "c.yaml:3")])
        let plan = ProvisionPlanner.plan(config: config, observation: observer.observe(config: config), assigned: [],
                                         options: .init())
        let pf = try #require(plan.pfs.first)
        #expect(pf.steps.isEmpty)
        #expect(pf.problems.map(\.message) == [
            "c.yaml:3: PF eno1 (0000:04:00.0): VF 0 (0000:04:10.0) not bound to vfio-pci: its IOMMU group 8 also holds "
                + "its own PF 0000:04:00.0 (bound to e1000e), 0000:05:00.0 (bound to xhci_hcd); the PF must keep its "
                + "driver, so no VF of it can be passed through from this group (a slot whose root port supports ACS "
                + "separates them)",
        ])
    }

    @Test("The permanent MAC falls back to sysfs `address` only when addr_assign_type says it is burned in")
    func hardwareAddress() throws {
        let fixture = try HostFixtures.intel82576()
        let control = Self.control(fixture)
        #expect(control.hardwareAddress(ofNetdev: "eth0") == NetdevHardwareAddress(address: MACAddress("00:1b:21:aa:bb:00")!, assignType: nil))
        try fixture.write("devices/pci0000:00/0000:00:01.0/0000:0b:00.0/net/eth0/addr_assign_type", "1")
        #expect(control.hardwareAddress(ofNetdev: "eth0")?.isPermanent == false)
    }

    @Test("modprobe.d: the module comes from the driver's module link; the file is written 0600 and read back")
    func modprobeFile() throws {
        let fixture = try HostFixtures.igbLegacy()
        let etc = fixture.root + "/etc"
        let modules = ModprobeModuleControl(sysfs: SysfsTree(root: fixture.root), etcRoot: etc)
        #expect(modules.moduleName(forDriver: "igb") == "igb")
        #expect(modules.modprobeFilePath(module: "igb") == etc + "/modprobe.d/sriovctl-igb.conf")
        #expect(modules.readModprobeFile(module: "igb") == nil)
        try modules.writeModprobeFile(module: "igb", contents: "options igb max_vfs=7,7\n")
        #expect(modules.readModprobeFile(module: "igb") == "options igb max_vfs=7,7\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: etc + "/modprobe.d/sriovctl-igb.conf")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: etc + "/modprobe.d") == ["sriovctl-igb.conf"])
    }

    @Test("modinfo tells a per-port max_vfs array from a single value")
    func modinfoShape() {
        #expect(ModprobeModuleControl.shape(fromModinfo: "max_vfs:Number of VFs per PF (array of uint)\ndebug:Debug level (int)\n") == .perPort)
        #expect(ModprobeModuleControl.shape(fromModinfo: "max_vfs:Maximum number of virtual functions to allocate per physical function - default is zero and maximum value is 7. (Deprecated) (uint)\n") == .single)
        #expect(ModprobeModuleControl.shape(fromModinfo: "debug:Debug level (0=none,...,16=all) (int)\n") == .unknown)
    }

    @Test("Reloading a module runs modprobe -r then modprobe with argument arrays, and reports modprobe's complaint")
    func reloadModule() throws {
        let fixture = try HostFixtures.igbLegacy()
        let log = fixture.root + "/modprobe.log"
        let script = fixture.root + "/modprobe"
        try "#!/bin/sh\necho \"$@\" >> '\(log)'\n[ \"$1\" = -r ] && [ -e '\(fixture.root)/busy' ] && { echo 'modprobe: FATAL: Module igb is in use.' >&2; exit 1; }\nexit 0\n"
            .write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        let modules = ModprobeModuleControl(sysfs: SysfsTree(root: fixture.root), etcRoot: fixture.root + "/etc",
                                            modprobe: script, modinfo: "/nonexistent/modinfo")
        try modules.reload(module: "igb")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "-r igb\nigb\n")
        #expect(modules.maxVFsParameterShape(module: "igb") == .unknown)

        try fixture.write("busy", "1")
        #expect(throws: SRIOVError(.system, "modprobe -r igb failed (status 1): modprobe: FATAL: Module igb is in use.")) {
            try modules.reload(module: "igb")
        }
    }
}
