/// Everything `sriovctl doctor` needs to know about a host, read once by an adapter
/// (SRIOVLinux's `HostReadinessReader`) or built by hand in tests.
///
/// Plain data: the rules (``ReadinessEvaluator``) never touch the file system. An
/// optional field is `nil` when its file was missing or unreadable; the rules then say
/// what could not be read instead of guessing.
public struct ReadinessSnapshot: Hashable, Sendable {
    /// The CPU, from `/proc/cpuinfo`.
    public var cpu: CPUInfo
    /// `uname -r`, from `/proc/sys/kernel/osrelease`.
    public var kernelRelease: String?
    /// `/proc/cmdline`.
    public var kernelCommandLine: KernelCommandLine?
    /// IOMMU facts from sysfs.
    public var iommu: IOMMUFacts
    /// `/proc/interrupts`, summarised.
    public var interrupts: InterruptRemappingEvidence?
    /// Where `allow_unsafe_interrupts` is set.
    public var unsafeInterrupts: UnsafeInterruptsFacts
    /// Whether vfio-pci is loaded or can be loaded.
    public var vfio: VFIOFacts
    /// `/etc/os-release`.
    public var distribution: OSRelease?
    /// grubby and `/etc/default/grub`.
    public var bootLoader: BootLoaderFacts
    /// SR-IOV PFs and VFs with their IOMMU groups (SysfsHostDiscovery).
    public var inventory: HostInventory
    /// Class and driver of every device found in a VF's IOMMU group, by sysfs name.
    public var groupDevices: [String: PCIDeviceFacts]
    /// The paths the facts were read from.
    public var sources: ReadinessSources

    /// Creates a snapshot; every part defaults to "nothing found" so tests set only what they need.
    public init(cpu: CPUInfo = CPUInfo(vendor: .unknown), kernelRelease: String? = nil,
                kernelCommandLine: KernelCommandLine? = nil, iommu: IOMMUFacts = IOMMUFacts(),
                interrupts: InterruptRemappingEvidence? = nil,
                unsafeInterrupts: UnsafeInterruptsFacts = UnsafeInterruptsFacts(), vfio: VFIOFacts = VFIOFacts(),
                distribution: OSRelease? = nil, bootLoader: BootLoaderFacts = BootLoaderFacts(),
                inventory: HostInventory = HostInventory(pfs: []), groupDevices: [String: PCIDeviceFacts] = [:],
                sources: ReadinessSources = ReadinessSources()) {
        self.cpu = cpu
        self.kernelRelease = kernelRelease
        self.kernelCommandLine = kernelCommandLine
        self.iommu = iommu
        self.interrupts = interrupts
        self.unsafeInterrupts = unsafeInterrupts
        self.vfio = vfio
        self.distribution = distribution
        self.bootLoader = bootLoader
        self.inventory = inventory
        self.groupDevices = groupDevices
        self.sources = sources
    }

    /// Which IOMMU this host has or would have, and how that was decided.
    public var iommuPlatform: IOMMUPlatformGuess { IOMMUPlatformGuess(self) }
}

/// IOMMU state in sysfs.
public struct IOMMUFacts: Hashable, Sendable {
    /// Entries of `/sys/class/iommu` (`dmar0`, `ivhd0`...): IOMMU units the kernel registered.
    public var units: [String]
    /// Number of entries in `/sys/kernel/iommu_groups`.
    public var groupCount: Int
    /// ACPI tables present in `/sys/firmware/acpi/tables`; `nil` when that directory is missing
    /// (no ACPI, e.g. POWER). `DMAR` means the firmware has VT-d on, `IVRS` AMD-Vi.
    public var acpiTables: [String]?
    /// PCI vendor id of the host bridge 0000:00:00.0 (`0x8086`), for virtual machines.
    public var hostBridgeVendor: String?

    /// Creates IOMMU facts.
    public init(units: [String] = [], groupCount: Int = 0, acpiTables: [String]? = nil,
                hostBridgeVendor: String? = nil) {
        self.units = units
        self.groupCount = groupCount
        self.acpiTables = acpiTables
        self.hostBridgeVendor = hostBridgeVendor
    }

    /// True when the kernel has created IOMMU groups: DMA remapping is active.
    public var isActive: Bool { groupCount > 0 }
}

/// Where `vfio_iommu_type1 allow_unsafe_interrupts` is turned on.
public struct UnsafeInterruptsFacts: Hashable, Sendable {
    /// The live module parameter (`Y`/`N`); `nil` when the module is not loaded.
    public var runtimeValue: String?
    /// `options vfio_iommu_type1 allow_unsafe_interrupts=1` lines in modprobe.d files.
    public var configLines: [ModprobeOptionLine]

    /// Creates the facts.
    public init(runtimeValue: String? = nil, configLines: [ModprobeOptionLine] = []) {
        self.runtimeValue = runtimeValue
        self.configLines = configLines
    }

    /// True when the live parameter says yes.
    public var runtimeEnabled: Bool { runtimeValue.map(KernelBool.isTrue) ?? false }
}

/// Whether the vfio-pci driver is there.
public struct VFIOFacts: Hashable, Sendable {
    /// `/sys/bus/pci/drivers/vfio-pci` exists: the driver is registered now.
    public var driverRegistered: Bool
    /// What `/lib/modules/<release>` says about vfio-pci.
    public var module: KernelModuleState

    /// Creates the facts.
    public init(driverRegistered: Bool = false, module: KernelModuleState = .unknown) {
        self.driverRegistered = driverRegistered
        self.module = module
    }
}

/// A kernel module as `/lib/modules/<release>/modules.builtin` and `modules.dep` list it.
public enum KernelModuleState: Hashable, Sendable {
    /// Built into the kernel (listed in modules.builtin).
    case builtin
    /// A loadable module; the path as modules.dep lists it.
    case loadable(String)
    /// Neither file lists it.
    case absent
    /// The module lists could not be read.
    case unknown
}

/// Class and driver of one PCI device.
public struct PCIDeviceFacts: Hashable, Sendable {
    /// The `class` attribute (`0x060400`), `nil` when unreadable.
    public var classCode: String?
    /// Bound driver, `nil` when none.
    public var driver: String?

    /// Creates the facts.
    public init(classCode: String?, driver: String?) {
        self.classCode = classCode
        self.driver = driver
    }

    /// True for bridges and root ports: not endpoints (``IOMMUGroupPeer/isBridgeClass(_:)``).
    public var isBridge: Bool { IOMMUGroupPeer.isBridgeClass(classCode) }
}

/// Boot-loader facts used to write the kernel command line fix.
public struct BootLoaderFacts: Hashable, Sendable {
    /// Where grubby is (`/usr/sbin/grubby`), as seen on the host; `nil` when absent.
    public var grubbyPath: String?
    /// `/etc/default/grub`, parsed; `nil` when absent.
    public var grubDefaults: GrubDefaults?
    /// The grub.cfg found on the host (`/boot/grub2/grub.cfg`), `nil` when none.
    public var grubConfigPath: String?

    /// Creates the facts.
    public init(grubbyPath: String? = nil, grubDefaults: GrubDefaults? = nil, grubConfigPath: String? = nil) {
        self.grubbyPath = grubbyPath
        self.grubDefaults = grubDefaults
        self.grubConfigPath = grubConfigPath
    }
}

/// The paths behind a snapshot: where each fact was read (under the roots given to the
/// reader) for "seen" lines, and the host's own paths for fix commands.
public struct ReadinessSources: Hashable, Sendable {
    /// The host root the `/proc`, `/etc`, `/lib` and `/usr` files were read under (`/`).
    public var hostRoot: String
    /// The sysfs root (`/sys`).
    public var sysfsRoot: String

    /// Creates sources for the given roots.
    public init(hostRoot: String = "/", sysfsRoot: String = "/sys") {
        self.hostRoot = ReadinessSources.trimmed(hostRoot)
        self.sysfsRoot = ReadinessSources.trimmed(sysfsRoot)
    }

    /// A host file as read: `proc/cmdline` → `/proc/cmdline` (or `<root>/proc/cmdline`).
    public func host(_ relative: String) -> String {
        hostRoot == "/" ? "/" + relative : hostRoot + "/" + relative
    }

    /// A sysfs entry as read: `class/iommu` → `/sys/class/iommu`.
    public func sysfs(_ relative: String) -> String {
        sysfsRoot == "/" ? "/" + relative : sysfsRoot + "/" + relative
    }

    private static func trimmed(_ root: String) -> String {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        return root.isEmpty ? "/" : root
    }
}
