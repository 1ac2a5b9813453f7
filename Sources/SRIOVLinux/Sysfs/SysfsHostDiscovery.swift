import FoundationEssentials
import Glibc
public import SRIOVCore

/// Finds SR-IOV PFs and VFs in sysfs.
///
/// A PCI PF is a device under `bus/pci/devices` with `sriov_totalvfs`; its VFs come
/// from `virtfnN` links. A netdev whose `device/` has `sriov_numvfs` but no
/// `sriov_totalvfs` (netdevsim) is a non-PCI PF whose VFs are known by index only.
/// Unreadable or odd entries become warnings naming the path.
public struct SysfsHostDiscovery: HostDiscovering {
    /// The tree read.
    public let sysfs: SysfsTree

    /// Creates a discovery over `sysfs`.
    public init(sysfs: SysfsTree) { self.sysfs = sysfs }

    public func discover() -> HostInventory {
        var warnings: [String] = []
        var pfs: [PhysicalFunction] = []

        for name in sysfs.list("bus/pci/devices") {
            let dir = "bus/pci/devices/\(name)"
            guard sysfs.exists("\(dir)/sriov_totalvfs") else { continue }
            guard let address = PCIAddress(name) else {
                warnings.append("\(sysfs.path(dir)): not a PCI address; skipped")
                continue
            }
            pfs.append(pciPF(address: address, dir: dir, warnings: &warnings))
        }

        // Non-PCI PFs, found through their netdevs.
        var seenDevices = Set(pfs.compactMap { sysfs.canonicalPath("bus/pci/devices/\($0.sysfsDevice)") })
        for netdev in sysfs.list("class/net") {
            let device = "class/net/\(netdev)/device"
            guard sysfs.exists("\(device)/sriov_numvfs"), !sysfs.exists("\(device)/sriov_totalvfs"),
                  let canonical = sysfs.canonicalPath(device), !seenDevices.contains(canonical)
            else { continue }
            seenDevices.insert(canonical)
            pfs.append(nonPCIPF(deviceDir: device, canonical: canonical, warnings: &warnings))
        }

        pfs.sort { ($0.pciAddress == nil ? 1 : 0, $0.pciAddress?.description ?? "", $0.name)
            < ($1.pciAddress == nil ? 1 : 0, $1.pciAddress?.description ?? "", $1.name) }
        return HostInventory(pfs: pfs, warnings: warnings)
    }

    /// The PF named `identifier`, reading only that PF when `identifier` is a PF's PCI address
    /// or one of its netdevs (`vf apply`, `vf set`, `vf show` need no other); anything else
    /// (a sysfs device name, a name no PF has) is looked up in the whole ``discover()``, so the
    /// answer and the error are the same either way (`SysfsHostDiscoveryTests`).
    public func discoverPF(matching identifier: String) throws(SRIOVError) -> PhysicalFunction {
        var warnings: [String] = []
        if let address = PCIAddress(identifier) {
            let dir = "bus/pci/devices/\(address)"
            if sysfs.exists("\(dir)/sriov_totalvfs") { return pciPF(address: address, dir: dir, warnings: &warnings) }
        } else if !identifier.isEmpty, !identifier.contains("/"), identifier != ".", identifier != "..",
                  sysfs.exists("class/net/\(identifier)") {
            let device = "class/net/\(identifier)/device"
            let isPCI = sysfs.exists("\(device)/sriov_totalvfs")
            if isPCI, let name = sysfs.canonicalPath(device)?.split(separator: "/").last,
               let address = PCIAddress(String(name)), sysfs.exists("bus/pci/devices/\(address)/sriov_totalvfs") {
                let pf = pciPF(address: address, dir: "bus/pci/devices/\(address)", warnings: &warnings)
                if pf.netdevs.contains(identifier) { return pf }
            } else if !isPCI, sysfs.exists("\(device)/sriov_numvfs"), let canonical = sysfs.canonicalPath(device) {
                return nonPCIPF(deviceDir: device, canonical: canonical, warnings: &warnings)
            }
        }
        return try discover().pf(matching: identifier)
    }

    // MARK: PCI PFs

    private func pciPF(address: PCIAddress, dir: String, warnings: inout [String]) -> PhysicalFunction {
        let netdevs = sysfs.list("\(dir)/net")
        let totalVFs = readInt("\(dir)/sriov_totalvfs", warnings: &warnings)
        let numVFs = readInt("\(dir)/sriov_numvfs", warnings: &warnings)

        var vfs: [VirtualFunction] = []
        for entry in sysfs.list(dir) where entry.hasPrefix("virtfn") {
            guard let index = Int(entry.dropFirst("virtfn".count)) else { continue }
            guard let target = sysfs.linkTargetName("\(dir)/\(entry)"), let vfAddress = PCIAddress(target) else {
                warnings.append("\(sysfs.path("\(dir)/\(entry)")): does not point to a PCI function; VF \(index) skipped")
                continue
            }
            vfs.append(pciVF(index: index, address: vfAddress, dir: "\(dir)/\(entry)", warnings: &warnings))
        }
        vfs.sort { $0.index < $1.index }
        if let numVFs, numVFs != vfs.count {
            warnings.append("\(sysfs.path(dir)): sriov_numvfs is \(numVFs) but \(vfs.count) virtfn links exist (VFs still appearing?)")
        }

        return PhysicalFunction(
            name: netdevs.first ?? address.description,
            pciAddress: address,
            sysfsDevice: address.description,
            kind: .pci,
            vendorID: sysfs.read("\(dir)/vendor"),
            deviceID: sysfs.read("\(dir)/device"),
            driver: sysfs.linkTargetName("\(dir)/driver"),
            netdevs: netdevs,
            totalVFs: totalVFs,
            numVFs: numVFs,
            driversAutoprobe: readBool("\(dir)/sriov_drivers_autoprobe", warnings: &warnings),
            linkState: netdevs.first.flatMap { sysfs.read("\(dir)/net/\($0)/operstate") },
            numaNode: readNUMANode("\(dir)/numa_node", warnings: &warnings),
            vfs: vfs
        )
    }

    private func pciVF(index: Int, address: PCIAddress, dir: String, warnings: inout [String]) -> VirtualFunction {
        var group: Int?
        var members: [String] = []
        if let groupName = sysfs.linkTargetName("\(dir)/iommu_group") {
            if let number = Int(groupName) {
                group = number
                members = sysfs.list("kernel/iommu_groups/\(number)/devices")
            } else {
                warnings.append("\(sysfs.path("\(dir)/iommu_group")): group '\(groupName)' is not a number")
            }
        }
        return VirtualFunction(
            index: index,
            pciAddress: address,
            driver: sysfs.linkTargetName("\(dir)/driver"),
            netdev: sysfs.list("\(dir)/net").first,
            iommuGroup: group,
            iommuGroupDevices: members
        )
    }

    // MARK: Non-PCI PFs

    private func nonPCIPF(deviceDir: String, canonical: String, warnings: inout [String]) -> PhysicalFunction {
        let deviceName = canonical.split(separator: "/").last.map(String.init) ?? canonical
        // All netdevs of this device: those whose device link resolves to the same place.
        let netdevs = sysfs.list("class/net").filter { sysfs.canonicalPath("class/net/\($0)/device") == canonical }
        let numVFs = readInt("\(deviceDir)/sriov_numvfs", warnings: &warnings)
        let vfs = (0..<max(numVFs ?? 0, 0)).map { VirtualFunction(index: $0) }
        return PhysicalFunction(
            name: netdevs.first ?? deviceName,
            pciAddress: nil,
            sysfsDevice: deviceName,
            kind: .netdevsim,
            driver: sysfs.linkTargetName("\(deviceDir)/driver"),
            netdevs: netdevs,
            totalVFs: nil,
            numVFs: numVFs,
            linkState: netdevs.first.flatMap { sysfs.read("class/net/\($0)/operstate") },
            vfs: vfs
        )
    }

    // MARK: Attribute parsing with warnings

    private func readInt(_ relative: String, warnings: inout [String]) -> Int? {
        guard let text = sysfs.read(relative) else {
            if sysfs.exists(relative) { warnings.append("\(sysfs.path(relative)): unreadable") }
            return nil
        }
        guard let value = Int(text), value >= 0 else {
            warnings.append("\(sysfs.path(relative)): expected a number, found '\(text)'")
            return nil
        }
        return value
    }

    private func readBool(_ relative: String, warnings: inout [String]) -> Bool? {
        guard let value = readInt(relative, warnings: &warnings) else { return nil }
        return value != 0
    }

    private func readNUMANode(_ relative: String, warnings: inout [String]) -> Int? {
        guard let text = sysfs.read(relative) else { return nil }
        guard let value = Int(text) else {
            warnings.append("\(sysfs.path(relative)): expected a number, found '\(text)'")
            return nil
        }
        return value < 0 ? nil : value
    }
}
