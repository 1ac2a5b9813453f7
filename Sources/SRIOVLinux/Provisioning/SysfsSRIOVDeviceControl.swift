import FoundationEssentials
import Glibc
public import SRIOVCore
import SRIOVSyscalls

/// Creates VFs and moves them between drivers through sysfs: `sriov_numvfs`,
/// `sriov_drivers_autoprobe`, `driver_override` + `unbind` + `drivers_probe`.
///
/// Paths: a PCI PF under `bus/pci/devices/<address>/`, a non-PCI PF (netdevsim) under
/// `class/net/<netdev>/device/`. Errors name the PF and the kernel's reason.
public struct SysfsSRIOVDeviceControl: SRIOVDeviceControlling {
    /// The tree written.
    public let sysfs: SysfsTree
    /// How often waiting looks again.
    public var pollInterval: Duration

    /// Creates a controller over `sysfs`.
    public init(sysfs: SysfsTree, pollInterval: Duration = .milliseconds(10)) {
        self.sysfs = sysfs
        self.pollInterval = pollInterval
    }

    // MARK: VF count

    public func setDriversAutoprobe(_ enabled: Bool, on pf: PhysicalFunction) throws(SRIOVError) {
        do {
            try sysfs.write("\(directory(of: pf))/sriov_drivers_autoprobe", enabled ? "1" : "0")
        } catch {
            throw SRIOVError("\(label(pf)): \(error.message)", causedBy: error)
        }
    }

    public func writeNumVFs(_ count: Int, on pf: PhysicalFunction) throws(SRIOVError) {
        let attribute = "\(directory(of: pf))/sriov_numvfs"
        do {
            try sysfs.write(attribute, String(count))
        } catch {
            guard let code = error.errno else { throw error }
            throw Self.numVFsRefusal(errno: code, count: count, pf: pf, attributeExists: sysfs.exists(attribute),
                                     cause: error)
        }
    }

    public func readNumVFs(of pf: PhysicalFunction) throws(SRIOVError) -> Int {
        let attribute = "\(directory(of: pf))/sriov_numvfs"
        guard let text = sysfs.read(attribute), let value = Int(text) else {
            throw SRIOVError(.system, "\(label(pf)): cannot read \(sysfs.path(attribute))")
        }
        return value
    }

    public func waitForVFs(_ count: Int, of pf: PhysicalFunction, timeout: Duration) throws(SRIOVError) {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let missing = missingVFs(count, of: pf)
            if missing.isEmpty { return }
            if clock.now >= deadline {
                throw SRIOVError(.system, "\(label(pf)): after \(seconds(timeout)) s, still missing: "
                                 + missing.prefix(8).joined(separator: ", ") + (missing.count > 8 ? ", ..." : ""))
            }
            sleep(pollInterval)
        }
    }

    /// What is not there yet: the count, `virtfnN` links, VF netdevs of bound network drivers.
    private func missingVFs(_ count: Int, of pf: PhysicalFunction) -> [String] {
        let dir = directory(of: pf)
        let current = sysfs.read("\(dir)/sriov_numvfs").flatMap { Int($0) }
        if current != count { return ["sriov_numvfs reads \(current.map(String.init) ?? "nothing"), not \(count)"] }
        guard pf.kind == .pci else { return [] }   // netdevsim: VFs are not devices; the count is all
        var missing: [String] = []
        for index in 0..<count {
            let link = "\(dir)/virtfn\(index)"
            guard sysfs.exists(link) else {
                missing.append("VF \(index) (no virtfn\(index) link)")
                continue
            }
            // A network VF bound to a host network driver gets a netdev, sometimes later (iavf).
            let isNetwork = sysfs.read("\(link)/class")?.lowercased().hasPrefix("0x02") ?? false
            if isNetwork, let driver = sysfs.linkTargetName("\(link)/driver"), driver != "vfio-pci", driver != "pci-stub",
               sysfs.list("\(link)/net").isEmpty {
                missing.append("the netdev of VF \(index) (\(sysfs.linkTargetName(link).map { "\($0), " } ?? "")\(driver))")
            }
        }
        return missing
    }

    // MARK: vfio-pci

    public func bindVFIO(_ vf: PCIAddress) throws(SRIOVError) {
        let dir = "bus/pci/devices/\(vf)"
        guard sysfs.exists(dir) else { throw SRIOVError(.notFound, "\(vf): no such PCI device") }
        guard sysfs.exists("bus/pci/drivers/vfio-pci") else {
            throw SRIOVError(.notSupported, "\(vf): the vfio-pci driver is not loaded (modprobe vfio-pci)")
        }
        do {
            try sysfs.write("\(dir)/driver_override", "vfio-pci")
            if let current = sysfs.linkTargetName("\(dir)/driver"), current != "vfio-pci" {
                try sysfs.write("\(dir)/driver/unbind", vf.description)
            }
            if sysfs.linkTargetName("\(dir)/driver") != "vfio-pci" {
                try sysfs.write("bus/pci/drivers_probe", vf.description)
            }
        } catch {
            throw SRIOVError("\(vf): binding to vfio-pci: \(error.message)", causedBy: error)
        }
        let now = sysfs.linkTargetName("\(dir)/driver")
        guard now == "vfio-pci" else {
            throw SRIOVError(.system, "\(vf): not bound to vfio-pci after drivers_probe ("
                             + (now.map { "still bound to \($0)" } ?? "no driver bound") + ")")
        }
    }

    // MARK: Reading

    public func hardwareAddress(ofNetdev netdev: String) -> NetdevHardwareAddress? {
        guard let text = sysfs.read("class/net/\(netdev)/address"), let mac = MACAddress(text) else { return nil }
        return NetdevHardwareAddress(address: mac, assignType: sysfs.read("class/net/\(netdev)/addr_assign_type").flatMap { Int($0) })
    }

    public func iommuGroupMembers(_ group: Int) -> [IOMMUGroupPeer] {
        let dir = "kernel/iommu_groups/\(group)/devices"
        return sysfs.list(dir).map {
            IOMMUGroupPeer(device: $0, driver: sysfs.linkTargetName("\(dir)/\($0)/driver"),
                             pciClass: sysfs.read("\(dir)/\($0)/class"))
        }
    }

    // MARK: Helpers

    private func directory(of pf: PhysicalFunction) -> String {
        if let address = pf.pciAddress { return "bus/pci/devices/\(address)" }
        if let netdev = pf.netdev { return "class/net/\(netdev)/device" }
        return "bus/netdevsim/devices/\(pf.sysfsDevice)"
    }

    private func label(_ pf: PhysicalFunction) -> String { Self.label(pf) }

    private static func label(_ pf: PhysicalFunction) -> String {
        let device = pf.pciAddress?.description ?? pf.sysfsDevice
        if let netdev = pf.netdev, netdev != device { return "\(netdev) (\(device))" }
        return device
    }

    /// Says what a `sriov_numvfs` write of `count` refused with `errno` means for `pf`: the
    /// errno's name, the likely cause and the fix. Public so that the provisioning simulator
    /// words its refusals as this adapter does (the contract suite holds both to the kernel).
    /// `cause` is the write's own error, kept as the refusal's ``SRIOVError/cause``.
    public static func numVFsRefusal(errno code: Int32, count: Int, pf: PhysicalFunction,
                                     attributeExists: Bool, cause: SRIOVError? = nil) -> SRIOVError {
        var refusal = numVFsRefusalText(errno: code, count: count, pf: pf, attributeExists: attributeExists)
        refusal.cause = cause
        return refusal
    }

    private static func numVFsRefusalText(errno code: Int32, count: Int, pf: PhysicalFunction,
                                          attributeExists: Bool) -> SRIOVError {
        let name = label(pf)
        let driver = pf.driver.map { "the \($0) driver" } ?? "its driver"
        let reason = SysfsWriteError.describe(code)
        let message: String
        switch code {
        case ENOENT:
            message = attributeExists
                ? "\(driver) cannot create VFs through sriov_numvfs (\(reason)); set `method: max_vfs` for this PF"
                : "the device has no sriov_numvfs (\(reason)); if \(driver) takes a max_vfs module parameter, "
                    + "set `method: max_vfs` for this PF"
            return SRIOVError(.notSupported, "\(name): \(message)", errno: code)
        case EBUSY:
            message = "writing \(count) to sriov_numvfs: \(reason); VFs still exist or are in use"
            return SRIOVError(.busy, "\(name): \(message)", errno: code)
        case ERANGE:
            message = "writing \(count) to sriov_numvfs: \(reason); more than sriov_totalvfs "
                + (pf.totalVFs.map(String.init) ?? "allows")
            return SRIOVError(.invalidValue, "\(name): \(message)", errno: code)
        case ENOMEM, ENOSPC:
            message = "writing \(count) to sriov_numvfs: \(reason); the device cannot make that many VFs"
                + (pf.kind == .netdevsim ? " (netdevsim: raise /sys/kernel/debug/netdevsim/\(pf.sysfsDevice)/max_vfs)" : "")
            return SRIOVError(.invalidValue, "\(name): \(message)", errno: code)
        default:
            return SRIOVError(.system, "\(name): writing \(count) to sriov_numvfs failed: \(reason)", errno: code)
        }
    }

    private func sleep(_ duration: Duration) {
        Syscall.sleep(duration)
    }

    private func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? "\(whole)" : "\(whole).\(tenths)"
    }
}
