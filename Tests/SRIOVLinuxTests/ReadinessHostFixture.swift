import Foundation
import SRIOVTesting

/// A whole host for `sriovctl doctor`: a sysfs tree (SRIOVTesting's ``SysfsFixture``, with
/// the kernel's relative symlinks) and a host root in its own temporary directory holding
/// `proc`, `etc`, `lib` and `usr`. Pass ``sysfsRoot`` as `--sysfs-root` and ``hostRoot`` as
/// `--host-root`. Both are removed when deinitialized.
final class ReadinessHostFixture: @unchecked Sendable {
    /// The sysfs tree.
    let sys: SysfsFixture
    /// The host root directory.
    let hostRoot: String
    /// The sysfs root.
    var sysfsRoot: String { sys.root }

    /// A host around an existing sysfs fixture (e.g. one of ``HostFixtures``).
    init(sysfs: SysfsFixture) throws {
        sys = sysfs
        hostRoot = FileManager.default.temporaryDirectory.appendingPathComponent("doctor-host-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: hostRoot + "/proc/sys/kernel", withIntermediateDirectories: true)
        try sys.mkdir("class/iommu")
    }

    /// An empty host.
    convenience init() throws { try self.init(sysfs: SysfsFixture()) }

    deinit { try? FileManager.default.removeItem(atPath: hostRoot) }

    // MARK: Low level

    /// Writes a host file (relative to the host root) exactly as given.
    func write(host relative: String, _ text: String) throws {
        let path = "\(hostRoot)/\(relative)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Removes a sysfs entry (relative to the sysfs root).
    func remove(sysfs relative: String) throws {
        try FileManager.default.removeItem(atPath: "\(sys.root)/\(relative)")
    }

    // MARK: Host files

    enum CPU {
        case intel, amd, power8
        case intelVM
    }

    func cpu(_ cpu: CPU) throws {
        let text: String
        switch cpu {
        case .intel, .intelVM:
            text = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic vmx\(cpu == .intelVM ? " hypervisor" : "")

            processor\t: 1
            vendor_id\t: GenuineIntel

            """
        case .amd:
            text = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC 7543 32-Core Processor
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic svm

            """
        case .power8:
            text = """
            processor\t: 0
            cpu\t\t: POWER8E (raw), altivec supported
            clock\t\t: 3690.000000MHz
            revision\t: 2.1 (pvr 004b 0201)

            timebase\t: 512000000
            platform\t: PowerNV
            model\t\t: 8247-22L
            machine\t\t: PowerNV 8247-22L

            """
        }
        try write(host: "proc/cpuinfo", text)
    }

    func cmdline(_ text: String) throws { try write(host: "proc/cmdline", text + "\n") }

    func kernelRelease(_ release: String) throws { try write(host: "proc/sys/kernel/osrelease", release + "\n") }

    enum Distro {
        case debian, ubuntu, rocky, rhel
    }

    func osRelease(_ distro: Distro) throws {
        let text: String
        switch distro {
        case .debian:
            text = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"
        case .ubuntu:
            text = "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nID=ubuntu\nID_LIKE=debian\n"
        case .rocky:
            text = "NAME=\"Rocky Linux\"\nVERSION=\"9.4 (Blue Onyx)\"\nID=\"rocky\"\nID_LIKE=\"rhel centos fedora\"\nPRETTY_NAME=\"Rocky Linux 9.4 (Blue Onyx)\"\n"
        case .rhel:
            text = "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nID_LIKE=\"fedora\"\nPRETTY_NAME=\"Red Hat Enterprise Linux 9.4 (Plow)\"\n"
        }
        try write(host: "etc/os-release", text)
    }

    /// `/etc/default/grub` with GRUB_CMDLINE_LINUX on line 6.
    func grubDefault(cmdline: String) throws {
        try write(host: "etc/default/grub", """
            # If you change this file, run 'update-grub' afterwards to update
            # /boot/grub/grub.cfg.

            GRUB_DEFAULT=0
            GRUB_TIMEOUT=5
            GRUB_CMDLINE_LINUX="\(cmdline)"
            GRUB_CMDLINE_LINUX_DEFAULT="quiet"

            """)
    }

    func grubby() throws {
        try write(host: "usr/sbin/grubby", "#!/bin/sh\n")
        try write(host: "boot/grub2/grub.cfg", "# grub\n")
    }

    /// `/proc/interrupts` with or without remapping chips.
    func interrupts(remapped: Bool) throws {
        let ioapic = remapped ? "IR-IO-APIC" : "IO-APIC"
        let msi = remapped ? "IR-PCI-MSI" : "PCI-MSI"
        try write(host: "proc/interrupts", """
                       CPU0       CPU1
              0:         40          0   \(ioapic)    2-edge      timer
              1:          0          9   \(ioapic)    1-edge      i8042
              8:          0          0   \(ioapic)    8-edge      rtc0
             24:          0          0  DMAR-MSI    0-edge      dmar0
             25:     123456          0   \(msi) 1048576-edge      eth0
            NMI:          0          0   Non-maskable interrupts
            LOC:    2345678    2345123   Local timer interrupts

            """)
    }

    /// `/lib/modules/<release>` listing vfio-pci as a loadable module (or not at all).
    func modules(release: String, vfioPCI: Bool) throws {
        try kernelRelease(release)
        let dep = (vfioPCI ? "kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/pci/vfio-pci-core.ko.xz\n" : "")
            + "kernel/drivers/net/ethernet/intel/igb/igb.ko.xz:\n"
        try write(host: "lib/modules/\(release)/modules.dep", dep)
        try write(host: "lib/modules/\(release)/modules.builtin", "kernel/drivers/pci/pcie/portdrv.ko\n")
    }

    // MARK: sysfs

    /// An active IOMMU unit in `class/iommu`, and the firmware's ACPI table for it.
    func iommuUnit(_ name: String, acpiTable: String?) throws {
        try sys.mkdir("devices/virtual/iommu/\(name)")
        try sys.link("class/iommu/\(name)", to: "devices/virtual/iommu/\(name)")
        try sys.mkdir("firmware/acpi/tables")
        if let acpiTable { try sys.write("firmware/acpi/tables/\(acpiTable)", "") }
    }

    /// ACPI tables without any IOMMU table (firmware switch off).
    func acpiWithoutIOMMUTable() throws {
        try sys.write("firmware/acpi/tables/APIC", "")
        try sys.write("firmware/acpi/tables/FACP", "")
    }

    func vfioPCILoaded() throws { try sys.mkdir("bus/pci/drivers/vfio-pci") }

    func unsafeInterruptsParameter(_ value: String) throws {
        try sys.write("module/vfio_iommu_type1/parameters/allow_unsafe_interrupts", value)
    }

    /// An SR-IOV PF with a netdev (or none, like NVMe); returns its device directory.
    @discardableResult
    func pf(_ address: String, driver: String?, totalVFs: Int, numVFs: Int, netdev: String?,
            operstate: String = "up", pciClass: String = "0x020000") throws -> String {
        let dir = try sys.addPCIDevice(address, pciClass: pciClass, driver: driver)
        try sys.makePF(dir, totalVFs: totalVFs, numVFs: numVFs)
        if let netdev { try sys.addNetdev(netdev, deviceDir: dir, operstate: operstate) }
        return dir
    }

    // MARK: Whole hosts

    /// A healthy Intel Debian host: VT-d on, intel_iommu=on iommu=pt, interrupt remapping,
    /// vfio-pci loaded, one igb PF (link up) with two VFs, each alone in its group.
    static func healthyIntel() throws -> ReadinessHostFixture {
        let f = try ReadinessHostFixture()
        try f.healthyIntelHost()
        let hostBridge = try f.sys.addPCIDevice("0000:00:00.0", device: "0x29c0", pciClass: "0x060000")
        try f.sys.addIOMMUGroup(0, devices: [hostBridge])
        let pf = try f.pf("0000:0b:00.0", driver: "igb", totalVFs: 7, numVFs: 2, netdev: "eth0")
        try f.sys.addIOMMUGroup(14, devices: [pf])
        let vf0 = try f.sys.addVF(pfDir: pf, index: 0, address: "0000:0b:10.0", driver: "igbvf")
        let vf1 = try f.sys.addVF(pfDir: pf, index: 1, address: "0000:0b:10.2", driver: "vfio-pci")
        try f.sys.addIOMMUGroup(15, devices: [vf0])
        try f.sys.addIOMMUGroup(16, devices: [vf1])
        return f
    }

    /// The host-wide half of a healthy Intel Debian host (no PFs): CPU, command line, GRUB,
    /// interrupt remapping, modules, vfio-pci loaded, dmar0 with its DMAR table.
    func healthyIntelHost() throws {
        let f = self
        try f.cpu(.intel)
        try f.osRelease(.debian)
        try f.cmdline("BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-amd64 root=/dev/sda1 ro quiet intel_iommu=on iommu=pt")
        try f.grubDefault(cmdline: "intel_iommu=on iommu=pt")
        try f.interrupts(remapped: true)
        try f.modules(release: "6.1.0-18-amd64", vfioPCI: true)
        try f.vfioPCILoaded()
        try f.iommuUnit("dmar0", acpiTable: "DMAR")
    }

    /// An Intel host whose IOMMU is off: firmware publishes no DMAR table, no groups,
    /// no remapping, empty `/sys/class/iommu`; `/etc/default/grub` on `distro`.
    static func noIOMMU(cpu: CPU = .intel, distro: Distro = .debian, cmdline: String = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet") throws -> ReadinessHostFixture {
        let f = try ReadinessHostFixture()
        try f.cpu(cpu)
        try f.osRelease(distro)
        try f.cmdline(cmdline)
        try f.grubDefault(cmdline: "quiet")
        try f.interrupts(remapped: false)
        try f.modules(release: "6.1.0-18-amd64", vfioPCI: true)
        try f.acpiWithoutIOMMUTable()
        let pf = try f.pf("0000:0b:00.0", driver: "igb", totalVFs: 7, numVFs: 1, netdev: "eth0")
        try f.sys.addVF(pfDir: pf, index: 0, address: "0000:0b:10.0", driver: "igbvf")
        return f
    }
}
