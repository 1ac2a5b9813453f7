/// The ports provisioning changes the host through, beyond ``HostDiscovering`` and
/// ``VFLinkControlling``. SRIOVLinux implements them over sysfs, /etc/modprobe.d and
/// modprobe; SRIOVTesting's `SimulatedSRIOVHost` fakes them.

/// sysfs reads and writes on SR-IOV devices: VF count, driver binding, IOMMU groups.
public protocol SRIOVDeviceControlling: Sendable {
    /// Writes `sriov_drivers_autoprobe` (whether host drivers bind VFs created later).
    func setDriversAutoprobe(_ enabled: Bool, on pf: PhysicalFunction) throws(SRIOVError)

    /// Writes one value to `sriov_numvfs`. The caller writes 0 first when VFs exist.
    /// Throws with the kernel's reason (EBUSY, ERANGE, ENOENT for drivers without
    /// sysfs SR-IOV support) in the message.
    func writeNumVFs(_ count: Int, on pf: PhysicalFunction) throws(SRIOVError)

    /// Reads `sriov_numvfs` back (a driver may enable fewer VFs than asked).
    func readNumVFs(of pf: PhysicalFunction) throws(SRIOVError) -> Int

    /// Waits until `count` VFs have appeared: every `virtfnN` link and every VF netdev a
    /// bound network driver will make (PCI PFs), or the count alone (netdevsim). Throws,
    /// naming what is missing, after `timeout`.
    func waitForVFs(_ count: Int, of pf: PhysicalFunction, timeout: Duration) throws(SRIOVError)

    /// Moves a VF to `vfio-pci`: `driver_override`, unbind from its current driver,
    /// `drivers_probe`; then checks the `driver` link.
    func bindVFIO(_ vf: PCIAddress) throws(SRIOVError)

    /// The sysfs `address` and `addr_assign_type` of a netdev, `nil` when missing.
    func hardwareAddress(ofNetdev netdev: String) -> NetdevHardwareAddress?

    /// Every device in IOMMU group `group`, with its driver and PCI class.
    func iommuGroupMembers(_ group: Int) -> [IOMMUGroupPeer]
}

/// Kernel module configuration for drivers that take VFs as a module parameter (`max_vfs`).
public protocol KernelModuleControlling: Sendable {
    /// The module that provides PCI driver `driver` (usually the same name).
    func moduleName(forDriver driver: String) -> String

    /// Where sriovctl keeps its options for `module` (`/etc/modprobe.d/sriovctl-igb.conf`).
    func modprobeFilePath(module: String) -> String

    /// The current content of that file, `nil` when it does not exist.
    func readModprobeFile(module: String) -> String?

    /// Replaces that file's content (atomically).
    func writeModprobeFile(module: String, contents: String) throws(SRIOVError)

    /// Whether the module's `max_vfs` takes one value per port or one for all.
    func maxVFsParameterShape(module: String) -> MaxVFsParameterShape

    /// Unloads and loads the module again (`modprobe -r`, `modprobe`).
    func reload(module: String) throws(SRIOVError)
}

/// The form of a driver's `max_vfs` module parameter.
public enum MaxVFsParameterShape: String, Hashable, Sendable, Codable {
    /// An array: one value per port, in PCI address order (`max_vfs=7,7`).
    case perPort = "per-port"
    /// One value for every port (`max_vfs=7`).
    case single
    /// Could not be told (no `modinfo`); treated as per-port.
    case unknown
}

/// A netdev's MAC as sysfs shows it.
public struct NetdevHardwareAddress: Hashable, Sendable, Codable {
    /// `address`.
    public var address: MACAddress
    /// `addr_assign_type`: 0 permanent, 1 random, 2 stolen, 3 set by user; `nil` when absent.
    public var assignType: Int?

    /// Creates a value.
    public init(address: MACAddress, assignType: Int?) {
        self.address = address
        self.assignType = assignType
    }

    /// True when `address` is the device's own burned-in address (assign type 0, or not reported).
    public var isPermanent: Bool { assignType == nil || assignType == 0 }
}

