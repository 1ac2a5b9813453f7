import FoundationEssentials
import Glibc
public import SRIOVCore

/// Reads a host into a ``ReadinessSnapshot`` for `sriovctl doctor`.
///
/// Two roots, so a fixture directory or a host mounted into a container can be read:
/// `sysfs` (normally `/sys`) for IOMMU, ACPI, module and PCI facts, and `hostRoot`
/// (normally `/`) under which `proc/cmdline`, `proc/cpuinfo`, `proc/interrupts`,
/// `proc/sys/kernel/osrelease`, `etc/os-release`, `etc/default/grub`, the modprobe.d
/// directories, `usr/sbin/grubby` (existence only) and `lib/modules` are looked up.
/// PFs, VFs and IOMMU groups come from ``SysfsHostDiscovery``. Missing files become `nil`
/// facts; nothing here throws.
public struct HostReadinessReader: Sendable {
    /// The sysfs tree.
    public let sysfs: SysfsTree
    /// The host's root directory, as a tree.
    public let host: SysfsTree

    /// Creates a reader over `sysfs` and the files under `hostRoot`.
    public init(sysfs: SysfsTree, hostRoot: String = "/") {
        self.sysfs = sysfs
        self.host = SysfsTree(root: hostRoot)
    }

    /// Reads everything the readiness rules use.
    public func snapshot() -> ReadinessSnapshot {
        let sources = ReadinessSources(hostRoot: host.root, sysfsRoot: sysfs.root)
        let release = host.read("proc/sys/kernel/osrelease")
        let inventory = SysfsHostDiscovery(sysfs: sysfs).discover()
        return ReadinessSnapshot(
            cpu: host.read("proc/cpuinfo").map(CPUInfo.init(parsing:)) ?? CPUInfo(vendor: .unknown),
            kernelRelease: release,
            kernelCommandLine: host.read("proc/cmdline").map(KernelCommandLine.init(parsing:)),
            iommu: IOMMUFacts(
                units: sysfs.list("class/iommu"),
                groupCount: sysfs.list("kernel/iommu_groups").count,
                acpiTables: sysfs.exists("firmware/acpi/tables") ? sysfs.list("firmware/acpi/tables") : nil,
                hostBridgeVendor: sysfs.read("bus/pci/devices/0000:00:00.0/vendor")
            ),
            interrupts: host.read("proc/interrupts").map(InterruptRemappingEvidence.init(parsing:)),
            unsafeInterrupts: UnsafeInterruptsFacts(
                runtimeValue: sysfs.read("module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"),
                configLines: unsafeInterruptLines(sources)
            ),
            vfio: VFIOFacts(driverRegistered: sysfs.exists("bus/pci/drivers/vfio-pci"),
                            module: moduleState("vfio-pci", release: release)),
            distribution: (host.read("etc/os-release") ?? host.read("usr/lib/os-release")).flatMap(OSRelease.init(parsing:)),
            bootLoader: BootLoaderFacts(
                grubbyPath: ["usr/sbin/grubby", "sbin/grubby", "usr/bin/grubby"].first(where: host.exists).map { "/" + $0 },
                grubDefaults: rawText("etc/default/grub").map { GrubDefaults(parsing: $0, path: "/etc/default/grub") },
                grubConfigPath: ["boot/grub2/grub.cfg", "boot/grub/grub.cfg"].first(where: host.exists).map { "/" + $0 }
            ),
            inventory: inventory,
            groupDevices: groupDeviceFacts(inventory),
            sources: sources
        )
    }

    // MARK: Parts

    /// `options vfio_iommu_type1 allow_unsafe_interrupts=1` lines. A file name seen in a
    /// higher-priority directory hides the same name further down, as modprobe does.
    private func unsafeInterruptLines(_ sources: ReadinessSources) -> [ModprobeOptionLine] {
        var seenNames = Set<String>()
        var seenDirs = Set<String>()
        var lines: [ModprobeOptionLine] = []
        for dir in ModprobeDirectories.all {
            guard let canonical = host.canonicalPath(dir), seenDirs.insert(canonical).inserted else { continue }
            for name in host.list(dir) where name.hasSuffix(".conf") && seenNames.insert(name).inserted {
                guard let text = rawText("\(dir)/\(name)") else { continue }
                lines += ModprobeOptionLine.find(module: "vfio_iommu_type1", parameter: "allow_unsafe_interrupts",
                                                 in: text, path: sources.host("\(dir)/\(name)"))
            }
        }
        return lines
    }

    /// Whether `/lib/modules/<release>` (or `/usr/lib/modules/...`) has `module` built in or loadable.
    private func moduleState(_ module: String, release: String?) -> KernelModuleState {
        guard let release else { return .unknown }
        let fileName = module + ".ko"
        for base in ["lib/modules/\(release)", "usr/lib/modules/\(release)"] {
            let builtin = rawText("\(base)/modules.builtin")
            let dep = rawText("\(base)/modules.dep")
            guard builtin != nil || dep != nil else { continue }
            if let builtin, builtin.split(separator: "\n").contains(where: { lastComponent($0) == fileName }) {
                return .builtin
            }
            if let dep {
                for line in dep.split(separator: "\n") {
                    let path = line.split(separator: ":", maxSplits: 1).first ?? ""
                    let name = lastComponent(path)
                    // modules.dep names compressed modules too: vfio-pci.ko.xz, .ko.zst, .ko.gz.
                    if name == fileName || name.hasPrefix(fileName + ".") { return .loadable(String(path)) }
                }
            }
            return .absent
        }
        return .unknown
    }

    /// Class code and driver of every device in a PCI VF's IOMMU group.
    private func groupDeviceFacts(_ inventory: HostInventory) -> [String: PCIDeviceFacts] {
        var facts: [String: PCIDeviceFacts] = [:]
        for pf in inventory.pfs {
            for vf in pf.vfs {
                guard let group = vf.iommuGroup else { continue }
                for device in vf.iommuGroupDevices where facts[device] == nil {
                    let dir = "kernel/iommu_groups/\(group)/devices/\(device)"
                    facts[device] = PCIDeviceFacts(classCode: sysfs.read("\(dir)/class"),
                                                   driver: sysfs.linkTargetName("\(dir)/driver"))
                }
            }
        }
        return facts
    }

    /// A host file's text exactly as stored (line numbers preserved), `nil` when unreadable.
    private func rawText(_ relative: String) -> String? {
        FileManager.default.contents(atPath: host.path(relative)).map { String(decoding: $0, as: UTF8.self) }
    }

    private func lastComponent(_ path: Substring) -> String {
        String(path.split(separator: "/").last ?? "")
    }
}
