import Foundation
import SRIOVCore
import SRIOVLinux
import SRIOVTesting
import Testing

/// The host reader on fixture trees, and the verdicts an operator would get on each host.
@Suite("doctor: host readiness on fixture hosts")
struct ReadinessReaderTests {
    func report(_ f: ReadinessHostFixture, pf: String? = nil) throws -> ReadinessReport {
        try ReadinessEvaluator.evaluate(snapshot(f), pf: pf)
    }

    func snapshot(_ f: ReadinessHostFixture) -> ReadinessSnapshot {
        HostReadinessReader(sysfs: SysfsTree(root: f.sysfsRoot), hostRoot: f.hostRoot).snapshot()
    }

    func check(_ report: ReadinessReport, _ id: ReadinessCheckID, vf: Int? = nil) throws -> ReadinessCheck {
        try #require(report.checks.first { $0.id == id && $0.subject?.vf == vf })
    }

    @Test("A healthy Intel host: every check passes, exit 0")
    func healthy() throws {
        let f = try ReadinessHostFixture.healthyIntel()
        let report = try report(f)
        #expect(report.checks.filter { $0.status != .pass }.map(\.id) == [])
        #expect(report.exitCode == 0)
        #expect(report.checks.filter { $0.id == .vfIOMMUGroup }.map(\.iommuGroup) == [15, 16])
        #expect(try check(report, .iommuEnabled).observed.contains("dmar0"))
        #expect(try check(report, .iommuPassthrough).fix == nil)
        #expect(try check(report, .interruptRemapping).observed.contains("IR-IO-APIC"))
    }

    @Test("The reader picks up every fact from the files under the two roots")
    func readerFacts() throws {
        let f = try ReadinessHostFixture.healthyIntel()
        let s = snapshot(f)
        #expect(s.cpu.vendor == .intel)
        #expect(s.kernelRelease == "6.1.0-18-amd64")
        #expect(s.kernelCommandLine?.iommuPassthrough == true)
        #expect(s.iommu.units == ["dmar0"] && s.iommu.groupCount == 4)
        #expect(s.iommu.acpiTables == ["DMAR"])
        #expect(s.interrupts?.remappedLines == 4)
        #expect(s.vfio == VFIOFacts(driverRegistered: true, module: .loadable("kernel/drivers/vfio/pci/vfio-pci.ko.xz")))
        #expect(s.distribution?.family == .debian)
        #expect(s.bootLoader.grubbyPath == nil)
        #expect(s.bootLoader.grubDefaults?.cmdlineLine == 6)
        #expect(s.groupDevices["0000:0b:10.2"] == PCIDeviceFacts(classCode: "0x020000", driver: "vfio-pci"))
        #expect(s.sources.host("proc/cmdline") == f.hostRoot + "/proc/cmdline")
    }

    @Test("No IOMMU on an Intel Debian host with GRUB: fail, fix adds intel_iommu=on and runs update-grub")
    func noIOMMUIntelDebian() throws {
        let f = try ReadinessHostFixture.noIOMMU(cpu: .intel, distro: .debian)
        let report = try report(f)
        let iommu = try check(report, .iommuEnabled)
        #expect(iommu.status == .fail)
        #expect(iommu.observed.contains(f.sysfsRoot + "/kernel/iommu_groups has no groups"))
        let fix = try #require(iommu.fix)
        #expect(fix.summary.contains("intel_iommu=on"))
        #expect(fix.steps.contains { $0.text.contains("VT-d") && $0.text.contains("DMAR") })
        #expect(fix.steps.contains { $0.text == "In /etc/default/grub, line 6, set:" && $0.fileLine == "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on\"" })
        #expect(fix.commands == ["update-grub", "reboot"])
        #expect(try check(report, .interruptRemapping).status == .fail)
        #expect(try check(report, .vfIOMMUGroup, vf: 0).status == .fail)
        #expect(report.exitCode == 2)
    }

    @Test("No IOMMU on an AMD host: the fix says amd_iommu=on and AMD-Vi")
    func noIOMMUAMD() throws {
        let f = try ReadinessHostFixture.noIOMMU(cpu: .amd, distro: .ubuntu)
        let fix = try #require(try check(report(f), .iommuEnabled).fix)
        #expect(fix.summary.contains("amd_iommu=on"))
        #expect(fix.steps.contains { $0.text.contains("AMD-Vi") && $0.text.contains("IVRS") })
        #expect(fix.steps.contains { $0.fileLine == "GRUB_CMDLINE_LINUX=\"quiet amd_iommu=on\"" })
        #expect(!fix.commands.joined().contains("intel_iommu"))
        #expect(fix.commands == ["update-grub", "reboot"])
    }

    @Test("Rocky Linux with /usr/sbin/grubby: the fix is grubby --args, not /etc/default/grub")
    func grubbyOnRocky() throws {
        let f = try ReadinessHostFixture.noIOMMU(cpu: .intel, distro: .rocky)
        try f.grubby()
        let fix = try #require(try check(report(f), .iommuEnabled).fix)
        #expect(fix.commands == ["grubby --args=\"intel_iommu=on\" --update-kernel DEFAULT", "reboot"])
        #expect(!fix.steps.contains { $0.fileLine != nil })
    }

    @Test("RHEL without grubby: edit /etc/default/grub, then grub2-mkconfig -o /boot/grub2/grub.cfg")
    func grubOnRHEL() throws {
        let f = try ReadinessHostFixture.noIOMMU(cpu: .intel, distro: .rhel)
        let fix = try #require(try check(report(f), .iommuEnabled).fix)
        #expect(fix.commands == ["grub2-mkconfig -o /boot/grub2/grub.cfg", "reboot"])
        #expect(fix.steps.contains { $0.fileLine == "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on\"" })
    }

    @Test("POWER8 host: IOMMU on by default, no kernel command line option needed")
    func power8() throws {
        let f = try ReadinessHostFixture()
        try f.cpu(.power8)
        try f.cmdline("root=/dev/sda2 ro")
        try f.osRelease(.rhel)
        try f.grubDefault(cmdline: "")
        try f.interrupts(remapped: false)
        try f.modules(release: "4.18.0-ppc64le", vfioPCI: true)
        try f.vfioPCILoaded()
        try f.iommuUnit("iommu0", acpiTable: nil)
        try f.remove(sysfs: "firmware/acpi")
        let pf = try f.pf("0001:01:00.0", driver: "mlx5_core", totalVFs: 8, numVFs: 1, netdev: "enP1p1s0f0")
        let vf = try f.sys.addVF(pfDir: pf, index: 0, address: "0001:01:00.1", driver: "vfio-pci")
        try f.sys.addIOMMUGroup(1, devices: [pf])
        try f.sys.addIOMMUGroup(2, devices: [vf])
        let healthy = try report(f)
        #expect(healthy.host.iommuKind == .power)
        #expect(healthy.exitCode == 0)
        #expect(try check(healthy, .iommuPassthrough).observed.contains("not applicable"))
        #expect(try check(healthy, .interruptRemapping).observed.contains("not applicable"))

        // Without groups: still no intel_iommu/amd_iommu/grub advice.
        try f.remove(sysfs: "kernel/iommu_groups")
        try f.sys.mkdir("kernel/iommu_groups")
        let broken = try check(report(f), .iommuEnabled)
        #expect(broken.status == .fail)
        let fix = try #require(broken.fix)
        #expect(fix.steps.first?.text.contains("no kernel command line option is needed") == true)
        #expect(fix.commands.isEmpty)
        #expect(!fix.steps.contains { $0.text.contains("_iommu") || $0.fileLine != nil })
    }

    /// Seed 000: group 8 holds root ports 00:1c.0 and 00:1c.4 and endpoints 04:00.0 (e1000e)
    /// and 05:00.0, here a VF of the igb PF 03:00.0 (eth5), which has a group of its own.
    static func seed000() throws -> ReadinessHostFixture {
        let f = try ReadinessHostFixture.healthyIntel()
        let rp0 = try f.sys.addPCIDevice("0000:00:1c.0", device: "0x3a40", pciClass: "0x060400", driver: "pcieport")
        let rp4 = try f.sys.addPCIDevice("0000:00:1c.4", device: "0x3a48", pciClass: "0x060400", driver: "pcieport")
        let nic = try f.sys.addPCIDevice("0000:04:00.0", parent: rp0, device: "0x10d3", driver: "e1000e")
        let pf = try f.pf("0000:03:00.0", driver: "igb", totalVFs: 7, numVFs: 1, netdev: "eth5")
        try f.sys.addIOMMUGroup(7, devices: [pf])
        let vf = try f.sys.addVF(pfDir: pf, index: 0, address: "0000:05:00.0")
        try f.sys.addIOMMUGroup(8, devices: [rp0, rp4, nic, vf])
        return f
    }

    @Test("Seed 000: a VF sharing group 8 with a host-bound e1000e fails, naming it, with nodedev-detach; root ports do not count")
    func sharedGroupSeed000() throws {
        let f = try Self.seed000()
        let report = try report(f, pf: "eth5")
        let group = try check(report, .vfIOMMUGroup, vf: 0)
        #expect(group.status == .fail)
        #expect(group.iommuGroup == 8)
        #expect(group.observed.contains("0000:04:00.0 (bound to host driver e1000e"))
        #expect(group.groupMembers.map(\.role) == [.bridge, .bridge, .hostDriver, .vf])
        #expect(group.groupMembers.filter(\.blocksIsolation).map(\.device) == ["0000:04:00.0"])
        let fix = try #require(group.fix)
        #expect(fix.commands == ["virsh nodedev-detach pci_0000_04_00_0", "driverctl set-override 0000:04:00.0 vfio-pci"])
        #expect(!fix.commands.joined().contains("1c"))
        #expect(report.exitCode == 2)
    }

    @Test("Seed 000 with 04:00.0 as the VF's own PF (HostFixtures.sharedIOMMUGroup): fail, and no detach advice")
    func sharedGroupWithOwnPF() throws {
        let f = try ReadinessHostFixture(sysfs: HostFixtures.sharedIOMMUGroup())
        try f.healthyIntelHost()
        let report = try report(f)
        let group = try check(report, .vfIOMMUGroup, vf: 0)
        #expect(group.status == .fail)
        #expect(group.groupMembers.map(\.device) == ["0000:00:1c.0", "0000:00:1c.4", "0000:04:00.0", "0000:04:10.0", "0000:05:00.0"])
        #expect(group.groupMembers.map(\.role) == [.bridge, .bridge, .ownPF, .vf, .hostDriver])
        #expect(group.observed.contains("0000:04:00.0 (its own PF, driver e1000e)"))
        #expect(group.observed.contains("0000:05:00.0 (bound to host driver xhci_hcd, class 0x0c0330)"))
        let fix = try #require(group.fix)
        #expect(fix.summary == "The VF cannot be isolated from its PF 0000:04:00.0 (same IOMMU group, no ACS).")
        #expect(fix.commands.isEmpty)
    }

    @Test("allow_unsafe_interrupts set in modprobe.d and live: a warning naming both, exit 1")
    func unsafeInterrupts() throws {
        let f = try ReadinessHostFixture.healthyIntel()
        try f.write(host: "etc/modprobe.d/vfio.conf", "# for the lab box\noptions vfio_iommu_type1 allow_unsafe_interrupts=1\n")
        try f.unsafeInterruptsParameter("Y")
        let report = try report(f)
        let unsafe = try check(report, .unsafeInterrupts)
        #expect(unsafe.status == .warn)
        #expect(unsafe.observed.contains(f.hostRoot + "/etc/modprobe.d/vfio.conf:2"))
        #expect(unsafe.observed.contains("allow_unsafe_interrupts = Y"))
        #expect(unsafe.why.contains("forge interrupts"))
        let fix = try #require(unsafe.fix)
        #expect(fix.steps.contains { $0.text.hasPrefix("Delete line 2 of /etc/modprobe.d/vfio.conf") })
        #expect(fix.commands == ["echo N > /sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"])
        #expect(report.checks.filter { $0.status != .pass }.map(\.id) == [.unsafeInterrupts])
        #expect(report.exitCode == 1)
    }

    @Test("A modprobe.d file in /etc hides the same name in /usr/lib, as modprobe does")
    func modprobeOverride() throws {
        let f = try ReadinessHostFixture.healthyIntel()
        try f.write(host: "usr/lib/modprobe.d/vfio.conf", "options vfio_iommu_type1 allow_unsafe_interrupts=1\n")
        try f.write(host: "etc/modprobe.d/vfio.conf", "options vfio_iommu_type1 allow_unsafe_interrupts=0\n")
        #expect(try check(report(f), .unsafeInterrupts).status == .pass)
    }

    @Test("vfio-pci neither loaded nor in modules.dep: fail; loadable but not loaded: pass")
    func vfioAvailability() throws {
        let f = try ReadinessHostFixture.noIOMMU()
        #expect(try check(report(f), .vfioPCI).status == .pass)
        try f.modules(release: "6.1.0-18-amd64", vfioPCI: false)
        let missing = try check(report(f), .vfioPCI)
        #expect(missing.status == .fail)
        #expect(missing.observed.contains("/lib/modules/6.1.0-18-amd64"))
    }

    @Test("--pf limits the checks to one PF; an unknown PF is an error naming the known ones")
    func pfFilter() throws {
        let f = try Self.seed000()
        let all = try report(f)
        #expect(Set(all.checks.compactMap(\.subject?.pf)) == ["eth0", "eth5"])
        let one = try report(f, pf: "0000:0b:00.0")
        #expect(Set(one.checks.compactMap(\.subject?.pf)) == ["eth0"])
        #expect(one.exitCode == 0)
        #expect(throws: SRIOVError.self) { try report(f, pf: "eth9") }
    }

    @Test("An NVMe PF without a netdev passes the link check")
    func nvmePF() throws {
        let f = try ReadinessHostFixture.healthyIntel()
        let pf = try f.pf("0000:01:00.0", driver: "nvme", totalVFs: 4, numVFs: 0, netdev: nil, pciClass: "0x010802")
        try f.sys.addIOMMUGroup(3, devices: [pf])
        let report = try report(f, pf: "0000:01:00.0")
        #expect(try check(report, .pfLink).status == .pass)
        #expect(try check(report, .pfSRIOV).observed.contains("no VFs enabled yet"))
        #expect(report.exitCode == 0)
    }
}
