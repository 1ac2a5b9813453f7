import Foundation

/// Builds a sysfs-like tree in a temporary directory, with the same relative symlinks
/// the kernel makes (`bus/pci/devices/X` → `devices/...`, `virtfnN`, `physfn`, `driver`,
/// `iommu_group`, `class/net/X`), so adapters run against it as against `/sys`.
///
/// The tree is removed when the fixture is deinitialized.
public final class SysfsFixture: @unchecked Sendable {
    /// The fixture's root; pass it as `--sysfs-root`.
    public let root: String

    /// Creates an empty tree.
    public init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("sysfs-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.path
        for dir in ["bus/pci/devices", "bus/pci/drivers", "class/net", "kernel/iommu_groups", "devices"] {
            try mkdir(dir)
        }
        try write("bus/pci/drivers_probe", "")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    // MARK: Low level

    /// Creates a directory (and parents) relative to the root.
    public func mkdir(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: "\(root)/\(relative)", withIntermediateDirectories: true)
    }

    /// Writes a sysfs attribute (with the trailing newline the kernel adds).
    public func write(_ relative: String, _ value: String) throws {
        let path = "\(root)/\(relative)"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try (value + "\n").write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// Makes `relative` a relative symlink to `target` (both relative to the root).
    public func link(_ relative: String, to target: String) throws {
        let linkDir = (relative as NSString).deletingLastPathComponent
        try mkdir(linkDir)
        let from = linkDir.split(separator: "/")
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        let path = (up + to[common...].map(String.init)).joined(separator: "/")
        try FileManager.default.createSymbolicLink(atPath: "\(root)/\(relative)", withDestinationPath: path)
    }

    // MARK: PCI

    /// Adds a PCI function under `devices/pci0000:00/<parentChain>/<address>` and its
    /// `bus/pci/devices` link; returns its device directory (relative to the root).
    @discardableResult
    public func addPCIDevice(_ address: String, parent: String? = nil, vendor: String = "0x8086",
                             device: String = "0x10c9", pciClass: String = "0x020000", driver: String? = nil,
                             numaNode: Int = -1) throws -> String {
        let dir = parent.map { "\($0)/\(address)" } ?? "devices/pci0000:00/\(address)"
        try mkdir(dir)
        try write("\(dir)/vendor", vendor)
        try write("\(dir)/device", device)
        try write("\(dir)/class", pciClass)
        try write("\(dir)/numa_node", "\(numaNode)")
        try write("\(dir)/driver_override", "(null)")
        try link("bus/pci/devices/\(address)", to: dir)
        if let driver { try bind(dir, to: driver) }
        return dir
    }

    /// Binds a device directory to a driver (the `driver` link).
    public func bind(_ deviceDir: String, to driver: String) throws {
        try addDriver(driver)
        try? FileManager.default.removeItem(atPath: "\(root)/\(deviceDir)/driver")
        try link("\(deviceDir)/driver", to: "bus/pci/drivers/\(driver)")
    }

    /// Adds a PCI driver directory with its `bind`/`unbind` files (they record what is written).
    public func addDriver(_ driver: String, module: String? = nil) throws {
        let dir = "bus/pci/drivers/\(driver)"
        if !FileManager.default.fileExists(atPath: "\(root)/\(dir)/unbind") {
            try mkdir(dir)
            try write("\(dir)/bind", "")
            try write("\(dir)/unbind", "")
        }
        if let module, !FileManager.default.fileExists(atPath: "\(root)/\(dir)/module") {
            try mkdir("module/\(module)")
            try link("\(dir)/module", to: "module/\(module)")
        }
    }

    /// Reads an attribute back without the trailing newline; `nil` when missing.
    public func read(_ relative: String) -> String? {
        (try? String(contentsOfFile: "\(root)/\(relative)", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The names in a directory (relative to the root), sorted; empty when it is missing.
    public func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(relative)")) ?? []).sorted()
    }

    /// Removes a file or directory (to model an attribute a driver does not offer).
    public func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: "\(root)/\(relative)")
    }

    /// Makes a device an SR-IOV PF with `totalVFs` and `numVFs`.
    public func makePF(_ deviceDir: String, totalVFs: Int, numVFs: Int, autoprobe: Bool = true) throws {
        try write("\(deviceDir)/sriov_totalvfs", "\(totalVFs)")
        try write("\(deviceDir)/sriov_numvfs", "\(numVFs)")
        try write("\(deviceDir)/sriov_drivers_autoprobe", autoprobe ? "1" : "0")
    }

    /// Adds VF `index` of a PF as a PCI function next to it, with `virtfnN` and `physfn` links.
    @discardableResult
    public func addVF(pfDir: String, index: Int, address: String, vendor: String = "0x8086",
                      device: String = "0x10ca", driver: String? = nil) throws -> String {
        let parent = (pfDir as NSString).deletingLastPathComponent
        let dir = try addPCIDevice(address, parent: parent, vendor: vendor, device: device, driver: driver)
        try link("\(pfDir)/virtfn\(index)", to: dir)
        try link("\(dir)/physfn", to: pfDir)
        return dir
    }

    /// Puts devices (device directories) into IOMMU group `group`.
    public func addIOMMUGroup(_ group: Int, devices: [String]) throws {
        try mkdir("kernel/iommu_groups/\(group)/devices")
        for dir in devices {
            let name = (dir as NSString).lastPathComponent
            try link("kernel/iommu_groups/\(group)/devices/\(name)", to: dir)
            try link("\(dir)/iommu_group", to: "kernel/iommu_groups/\(group)")
        }
    }

    /// Gives a device a network interface (`<dev>/net/<name>` and `class/net/<name>`).
    public func addNetdev(_ name: String, deviceDir: String, mac: String = "00:00:00:00:00:00",
                          operstate: String = "up") throws {
        let dir = "\(deviceDir)/net/\(name)"
        try mkdir(dir)
        try write("\(dir)/address", mac)
        try write("\(dir)/operstate", operstate)
        try link("\(dir)/device", to: deviceDir)
        try link("class/net/\(name)", to: dir)
    }

    // MARK: netdevsim

    /// Adds a netdevsim device `netdevsim<id>` with one port netdev and `numVFs` VFs.
    @discardableResult
    public func addNetdevsim(id: Int, netdev: String, numVFs: Int) throws -> String {
        let dir = "devices/netdevsim\(id)"
        try mkdir(dir)
        try write("\(dir)/sriov_numvfs", "\(numVFs)")
        try mkdir("bus/netdevsim/drivers/netdevsim")
        try link("\(dir)/driver", to: "bus/netdevsim/drivers/netdevsim")
        try addNetdev(netdev, deviceDir: dir)
        return dir
    }
}
