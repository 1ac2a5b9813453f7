import SRIOVCore
import Testing

/// The parsers behind `sriovctl doctor`: /proc/cpuinfo, /proc/cmdline, /proc/interrupts,
/// /etc/os-release, /etc/default/grub, modprobe.d.
@Suite("doctor: parsing host files")
struct ReadinessParsingTests {
    @Test("cpuinfo: Intel, AMD, Hygon, POWER8 and the hypervisor flag")
    func cpuinfo() {
        let intel = CPUInfo(parsing: "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Xeon\nflags\t\t: fpu vmx hypervisor\n\nprocessor\t: 1\nvendor_id\t: AuthenticAMD\n")
        #expect(intel.vendor == .intel && intel.model == "Xeon" && intel.isVirtualMachine)
        #expect(CPUInfo(parsing: "vendor_id\t: AuthenticAMD\nflags\t: svm\n").vendor == .amd)
        #expect(CPUInfo(parsing: "vendor_id\t: HygonGenuine\n").vendor == .amd)
        let power = CPUInfo(parsing: "processor\t: 0\ncpu\t\t: POWER8E (raw), altivec supported\n\nplatform\t: PowerNV\n")
        #expect(power.vendor == .power && power.model == "POWER8E (raw), altivec supported" && !power.isVirtualMachine)
        #expect(CPUInfo(parsing: "processor\t: 0\nCPU implementer\t: 0x41\n").vendor == .arm)
        #expect(CPUInfo(parsing: "").vendor == .unknown)
    }

    @Test("Kernel command line: values, last one wins, iommu=pt, arguments that turn things off")
    func cmdline() {
        let line = KernelCommandLine(parsing: "BOOT_IMAGE=/vmlinuz root=UUID=1 ro intel_iommu=off quiet intel_iommu=on,sm_on iommu=pt dyndbg=\"file a.c +p\"\n")
        #expect(line.arguments.count == 8)
        #expect(line.arguments.last == "dyndbg=\"file a.c +p\"")
        #expect(line.value(of: "root") == "UUID=1")
        #expect(line.value(of: "ro") == "")
        #expect(line.options(of: "intel_iommu") == ["on", "sm_on"])
        #expect(line.argumentsTurningOff("intel_iommu") == ["intel_iommu=off"])
        #expect(line.iommuPassthrough)
        #expect(KernelCommandLine(parsing: "iommu.passthrough=1").iommuPassthrough)
        #expect(!KernelCommandLine(parsing: "iommu=nopt").iommuPassthrough)
        #expect(KernelCommandLine(parsing: "vfio-iommu-type1.allow_unsafe_interrupts=1")
            .value(of: "vfio_iommu_type1.allow_unsafe_interrupts") == "1")
    }

    @Test("/proc/interrupts: IR- chips count as remapped; summary rows do not count")
    func interrupts() {
        let text = """
                       CPU0
              0:         40   IR-IO-APIC    2-edge      timer
             24:          0   DMAR-MSI    0-edge      dmar0
             25:      12345   IR-PCI-MSIX-0000:01:00.0    0-edge      nvme0q0
             26:          1   PCI-MSI 1048576-edge      eth0
            NMI:          0   Non-maskable interrupts
            """
        let evidence = InterruptRemappingEvidence(parsing: text)
        #expect(evidence.interruptLines == 4 && evidence.remappedLines == 2 && evidence.example == "IR-IO-APIC")
        #expect(!InterruptRemappingEvidence(parsing: "  0:  1  IO-APIC 2-edge timer\n").isActive)
    }

    @Test("os-release: Debian, Ubuntu, Rocky (ID_LIKE rhel), SUSE, unknown; no ID is nil")
    func osRelease() throws {
        #expect(try #require(OSRelease(parsing: "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n")).family == .debian)
        #expect(try #require(OSRelease(parsing: "ID=ubuntu\nID_LIKE=debian\n")).family == .debian)
        let rocky = try #require(OSRelease(parsing: "ID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\n"))
        #expect(rocky.id == "rocky" && rocky.idLike == ["rhel", "centos", "fedora"] && rocky.family == .redHat)
        #expect(try #require(OSRelease(parsing: "ID=\"opensuse-leap\"\nID_LIKE=\"suse opensuse\"\n")).family == .suse)
        #expect(try #require(OSRelease(parsing: "ID=arch\n")).family == .other)
        #expect(OSRelease(parsing: "NAME=x\n") == nil)
    }

    @Test("/etc/default/grub: the last GRUB_CMDLINE_LINUX wins; the new line keeps other arguments")
    func grubDefaults() {
        let grub = GrubDefaults(parsing: "GRUB_CMDLINE_LINUX=\"a\"\n# comment\nGRUB_CMDLINE_LINUX=\"rhgb quiet intel_iommu=off\"\nGRUB_TIMEOUT=5\n")
        #expect(grub.cmdlineLine == 3 && grub.cmdlineValue == "rhgb quiet intel_iommu=off")
        #expect(grub.cmdlineAssignment(adding: ["intel_iommu=on", "quiet"], removing: ["intel_iommu=off"])
            == "GRUB_CMDLINE_LINUX=\"rhgb quiet intel_iommu=on\"")
        let none = GrubDefaults(parsing: "GRUB_TIMEOUT=5\n")
        #expect(none.cmdlineLine == nil)
        #expect(none.cmdlineAssignment(adding: ["amd_iommu=on"], removing: []) == "GRUB_CMDLINE_LINUX=\"amd_iommu=on\"")
    }

    @Test("modprobe.d: allow_unsafe_interrupts=1/Y found with its line, =0 and comments ignored, - and _ alike")
    func modprobe() {
        let text = """
            # options vfio_iommu_type1 allow_unsafe_interrupts=1
            options vfio-iommu-type1 allow_unsafe_interrupts=Y
            options vfio_iommu_type1 allow_unsafe_interrupts=0
            options vfio_iommu_type1 dma_entry_limit=65535 allow_unsafe_interrupts=1 # lab only
            options kvm ignore_msrs=1
            """
        let lines = ModprobeOptionLine.find(module: "vfio_iommu_type1", parameter: "allow_unsafe_interrupts",
                                            in: text, path: "/etc/modprobe.d/vfio.conf")
        #expect(lines.map(\.line) == [2, 4])
        #expect(lines.first?.text == "options vfio-iommu-type1 allow_unsafe_interrupts=Y")
    }

    @Test("PCI classes 0x0604xx and host bridges 0x0600xx are bridges; an Ethernet controller is not")
    func bridgeClass() {
        #expect(PCIDeviceFacts(classCode: "0x060400", driver: "pcieport").isBridge)
        #expect(PCIDeviceFacts(classCode: "0x060401", driver: nil).isBridge)
        #expect(!PCIDeviceFacts(classCode: "0x020000", driver: "e1000e").isBridge)
        // A host bridge is never an endpoint a guest could get (the same rule as attach and provision).
        #expect(PCIDeviceFacts(classCode: "0x060000", driver: nil).isBridge)
        #expect(!PCIDeviceFacts(classCode: "0x0c0330", driver: "xhci_hcd").isBridge)
        #expect(!PCIDeviceFacts(classCode: nil, driver: nil).isBridge)
    }
}
