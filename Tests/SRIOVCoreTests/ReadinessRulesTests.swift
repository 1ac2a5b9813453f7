import Foundation
import SRIOVCore
import Testing

/// The readiness rules on hand-built snapshots: verdicts and the fix a user is given.
@Suite("doctor: readiness rules")
struct ReadinessRulesTests {
    /// A healthy Intel host on Debian with one igb PF and one isolated VF.
    func healthy() -> ReadinessSnapshot {
        let vf = VirtualFunction(index: 0, pciAddress: PCIAddress("0000:0b:10.0"), driver: "vfio-pci",
                                 iommuGroup: 15, iommuGroupDevices: ["0000:0b:10.0"])
        let pf = PhysicalFunction(name: "eth0", pciAddress: PCIAddress("0000:0b:00.0"), sysfsDevice: "0000:0b:00.0",
                                  kind: .pci, driver: "igb", netdevs: ["eth0"], totalVFs: 7, numVFs: 1,
                                  linkState: "up", vfs: [vf])
        return ReadinessSnapshot(
            cpu: CPUInfo(vendor: .intel),
            kernelRelease: "6.1.0-18-amd64",
            kernelCommandLine: KernelCommandLine(parsing: "root=/dev/sda1 ro quiet intel_iommu=on iommu=pt"),
            iommu: IOMMUFacts(units: ["dmar0"], groupCount: 20, acpiTables: ["APIC", "DMAR"]),
            interrupts: InterruptRemappingEvidence(interruptLines: 30, remappedLines: 24, example: "IR-PCI-MSI"),
            vfio: VFIOFacts(driverRegistered: true, module: .builtin),
            distribution: OSRelease(id: "debian", prettyName: "Debian GNU/Linux 12 (bookworm)"),
            bootLoader: BootLoaderFacts(grubDefaults: GrubDefaults(cmdlineLine: 6, cmdlineValue: "quiet intel_iommu=on iommu=pt")),
            inventory: HostInventory(pfs: [pf]),
            groupDevices: ["0000:0b:10.0": PCIDeviceFacts(classCode: "0x020000", driver: "vfio-pci")]
        )
    }

    /// `healthy()` with the IOMMU off.
    func iommuOff(_ cmdline: String = "root=/dev/sda1 ro quiet") -> ReadinessSnapshot {
        var s = healthy()
        s.kernelCommandLine = KernelCommandLine(parsing: cmdline)
        s.iommu = IOMMUFacts(units: [], groupCount: 0, acpiTables: ["APIC"])
        s.interrupts = InterruptRemappingEvidence(interruptLines: 30, remappedLines: 0)
        s.bootLoader.grubDefaults = GrubDefaults(cmdlineLine: 6, cmdlineValue: "quiet")
        s.inventory.pfs[0].vfs[0].iommuGroup = nil
        s.inventory.pfs[0].vfs[0].iommuGroupDevices = []
        return s
    }

    func check(_ s: ReadinessSnapshot, _ id: ReadinessCheckID) throws -> ReadinessCheck {
        try #require(try ReadinessEvaluator.evaluate(s).checks.first { $0.id == id })
    }

    @Test("Healthy host: eight-odd checks, all pass, exit 0, in host-then-PF order")
    func healthyHost() throws {
        let report = try ReadinessEvaluator.evaluate(healthy())
        #expect(report.checks.map(\.id) == [.iommuEnabled, .iommuPassthrough, .interruptRemapping, .unsafeInterrupts,
                                            .vfioPCI, .pfSRIOV, .pfLink, .vfIOMMUGroup])
        #expect(report.status == .pass && report.exitCode == 0)
    }

    @Test("intel_iommu=off on the command line: the grubby fix removes it and adds intel_iommu=on")
    func iommuTurnedOff() throws {
        var s = iommuOff("root=/dev/sda1 intel_iommu=off")
        s.iommu.acpiTables = ["DMAR"]
        s.bootLoader.grubbyPath = "/usr/sbin/grubby"
        let fix = try #require(try check(s, .iommuEnabled).fix)
        #expect(fix.commands == ["grubby --remove-args=\"intel_iommu=off\" --update-kernel DEFAULT",
                                 "grubby --args=\"intel_iommu=on\" --update-kernel DEFAULT", "reboot"])
        // The DMAR table is there: no firmware step.
        #expect(!fix.steps.contains { $0.text.contains("firmware") })
    }

    @Test("intel_iommu=on already set but no DMAR table: only the firmware switch is left")
    func firmwareOnly() throws {
        let fix = try #require(try check(iommuOff("root=/dev/sda1 intel_iommu=on"), .iommuEnabled).fix)
        #expect(fix.summary == "The kernel command line already has intel_iommu=on: turn on VT-d (Intel Virtualization Technology for Directed I/O).")
        #expect(fix.steps.first?.text.contains("publishes no ACPI DMAR table") == true)
        #expect(fix.commands == ["reboot"])
    }

    @Test("A q35 virtual machine whose CPU says AMD gets intel_iommu=on and virtual-IOMMU advice")
    func virtualMachine() throws {
        var s = iommuOff()
        s.cpu = CPUInfo(vendor: .amd, isVirtualMachine: true)
        s.iommu.hostBridgeVendor = "0x8086"
        #expect(s.iommuPlatform.kind == .intel)
        let check = try check(s, .iommuEnabled)
        #expect(check.observed.contains("virtual machine with an Intel host bridge"))
        let fix = try #require(check.fix)
        #expect(fix.summary.contains("intel_iommu=on"))
        #expect(fix.steps.first?.text.contains("-device intel-iommu,intremap=on") == true)
    }

    @Test("No interrupt remapping: fail; with allow_unsafe_interrupts=Y: warn; /proc/interrupts unreadable: warn")
    func interruptRemapping() throws {
        var s = healthy()
        s.interrupts = InterruptRemappingEvidence(interruptLines: 30, remappedLines: 0)
        let failing = try check(s, .interruptRemapping)
        #expect(failing.status == .fail)
        #expect(failing.fix?.steps.contains { $0.text.contains("Interrupt Remapping") } == true)
        s.unsafeInterrupts.runtimeValue = "Y"
        let report = try ReadinessEvaluator.evaluate(s)
        #expect(report.checks.filter { $0.status == .warn }.map(\.id) == [.interruptRemapping, .unsafeInterrupts])
        #expect(report.exitCode == 1)
        s.interrupts = nil
        #expect(try check(s, .interruptRemapping).status == .warn)
    }

    @Test("allow_unsafe_interrupts on the kernel command line: warn with a removal step")
    func unsafeOnCmdline() throws {
        var s = healthy()
        s.kernelCommandLine = KernelCommandLine(parsing: "intel_iommu=on vfio_iommu_type1.allow_unsafe_interrupts=1")
        let check = try check(s, .unsafeInterrupts)
        #expect(check.status == .warn)
        #expect(check.fix?.steps.first?.fileLine == "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on iommu=pt\"")
        #expect(check.fix?.rebootRequired == true)
    }

    @Test("iommu=pt missing: still a pass, with an optional tip")
    func iommuPassthroughTip() throws {
        var s = healthy()
        s.kernelCommandLine = KernelCommandLine(parsing: "intel_iommu=on")
        let check = try check(s, .iommuPassthrough)
        #expect(check.status == .pass)
        #expect(check.fix?.optional == true)
        #expect(check.fix?.steps.first?.fileLine == "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on iommu=pt\"")
    }

    @Test("Two GRUB fixes never undo each other: the iommu=pt line also carries intel_iommu=on when the IOMMU is off")
    func cumulativeGrubLines() throws {
        let step = try #require(try check(iommuOff(), .iommuPassthrough).fix?.steps.first)
        #expect(step.text == "In /etc/default/grub, line 6, set (this includes the IOMMU fix above):")
        #expect(step.fileLine == "GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on iommu=pt\"")
        // grubby edits incrementally: no need to repeat the IOMMU argument.
        var s = iommuOff()
        s.bootLoader.grubbyPath = "/usr/sbin/grubby"
        #expect(try check(s, .iommuPassthrough).fix?.commands.first == "grubby --args=\"iommu=pt\" --update-kernel DEFAULT")
    }

    @Test("PF: no VFs offered fails, no driver fails, link down warns with ip link set up")
    func pfChecks() throws {
        var s = healthy()
        s.inventory.pfs[0].totalVFs = 0
        #expect(try check(s, .pfSRIOV).status == .fail)
        s.inventory.pfs[0].totalVFs = 7
        s.inventory.pfs[0].driver = nil
        #expect(try check(s, .pfSRIOV).fix?.commands == ["echo 0000:0b:00.0 > /sys/bus/pci/drivers_probe"])
        s.inventory.pfs[0].driver = "igb"
        s.inventory.pfs[0].linkState = "down"
        let link = try check(s, .pfLink)
        #expect(link.status == .warn && link.fix?.commands == ["ip link set eth0 up"])
    }

    @Test("A VF sharing its group with a sibling VF (no ACS) fails as not isolated, without nodedev-detach")
    func siblingVFs() throws {
        var s = healthy()
        s.inventory.pfs[0].vfs[0].iommuGroupDevices = ["0000:0b:10.0", "0000:0b:10.2"]
        s.groupDevices["0000:0b:10.2"] = PCIDeviceFacts(classCode: "0x020000", driver: "vfio-pci")
        let check = try check(s, .vfIOMMUGroup)
        #expect(check.status == .fail)
        #expect(check.groupMembers.map(\.role) == [.vf, .vfio])
        #expect(check.fix?.summary == "The VF is not isolated: group 15 also holds 0000:0b:10.2.")
        #expect(check.fix?.commands == [])
        #expect(check.fix?.steps.last?.text.contains("ACS") == true)
    }

    @Test("A VF without an IOMMU group fails and points at the IOMMU fix")
    func vfWithoutGroup() throws {
        let check = try check(iommuOff(), .vfIOMMUGroup)
        #expect(check.status == .fail)
        #expect(check.observed.hasSuffix("iommu_group is missing: the VF has no IOMMU group"))
    }

    @Test("A netdevsim PF passes with a note and gets no VF checks")
    func netdevsim() throws {
        var s = healthy()
        s.inventory = HostInventory(pfs: [PhysicalFunction(name: "eni10np1", pciAddress: nil, sysfsDevice: "netdevsim10",
                                                           kind: .netdevsim, netdevs: ["eni10np1"], numVFs: 4,
                                                           linkState: "up", vfs: (0..<4).map { VirtualFunction(index: $0) })])
        let report = try ReadinessEvaluator.evaluate(s)
        #expect(report.exitCode == 0)
        #expect(!report.checks.contains { $0.id == .vfIOMMUGroup })
        #expect(report.checks.first { $0.id == .pfSRIOV }?.observed.contains("not a PCI device") == true)
    }

    @Test("Text: [FAIL] with why and fix, commands indented; passing checks show only what was seen")
    func text() throws {
        let text = ReadinessReportText.render(try ReadinessEvaluator.evaluate(iommuOff()))
        #expect(text.contains("\n  [FAIL] IOMMU enabled\n         seen: /sys/class/iommu is empty"))
        #expect(text.contains("\n         fix:  Turn on VT-d (Intel Virtualization Technology for Directed I/O) and boot with intel_iommu=on.\n"))
        #expect(text.contains("\n               2. In /etc/default/grub, line 6, set:\n                    GRUB_CMDLINE_LINUX=\"quiet intel_iommu=on\"\n"))
        #expect(text.contains("\n                    update-grub\n"))
        #expect(text.contains("\n  [ OK ] PF link up\n         seen: /sys/class/net/eth0/operstate = up\n"))
        #expect(text.contains("PF eth0 (0000:0b:00.0)\n"))
        #expect(text.hasSuffix("Result: 3 failed, 0 warnings, 5 passed (exit 2)"))
    }

    @Test("JSON: every documented key present, null where absent")
    func json() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(try ReadinessEvaluator.evaluate(iommuOff()))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(root.keys) == ["schemaVersion", "status", "exitCode", "summary", "host", "checks", "warnings"])
        #expect(root["summary"] as? [String: Int] == ["pass": 5, "warn": 0, "fail": 3])
        let checks = try #require(root["checks"] as? [[String: Any]])
        let keys: Set<String> = ["id", "area", "title", "status", "pf", "pfAddress", "vf", "vfAddress", "observed",
                                 "sources", "why", "fix", "iommuGroup", "groupMembers"]
        #expect(checks.allSatisfy { Set($0.keys) == keys })
        let fix = try #require(checks[0]["fix"] as? [String: Any])
        #expect(Set(fix.keys) == ["summary", "steps", "commands", "rebootRequired", "optional"])
        let step = try #require((fix["steps"] as? [[String: Any]])?.first)
        #expect(Set(step.keys) == ["text", "command", "fileLine"])
        #expect(checks[0]["area"] as? String == "iommu")
        #expect(checks[0]["vf"] is NSNull)
        let host = try #require(root["host"] as? [String: Any])
        #expect(Set(host.keys) == ["cpuVendor", "cpuModel", "virtualMachine", "iommuKind", "iommuEvidence", "distribution",
                                   "distributionName", "kernelRelease", "kernelCommandLine", "bootLoader"])
    }

    @Test("Exit codes follow the worst status")
    func exitCodes() {
        #expect(ReadinessStatus.allCases.map(\.exitCode) == [0, 1, 2])
        #expect([ReadinessStatus.warn, .pass, .fail, .warn].max() == .fail)
    }
}
