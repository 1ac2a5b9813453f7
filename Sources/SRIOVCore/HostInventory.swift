/// Every SR-IOV PF on a host and its VFs, as sysfs shows them (no netlink data).
///
/// Built by a ``HostDiscovering`` adapter; the JSON form of this type is the
/// documented `sriovctl list --json` shape (see docs/json.md).
public struct HostInventory: Hashable, Sendable, Codable {
    /// JSON schema version of `list --json`.
    public var schemaVersion: Int = 1
    /// PFs, ordered by PCI address, then name.
    public var pfs: [PhysicalFunction]
    /// Odd or unreadable sysfs entries, each naming the path; the listing goes on.
    public var warnings: [String]

    /// Creates an inventory.
    public init(pfs: [PhysicalFunction], warnings: [String] = []) {
        self.pfs = pfs
        self.warnings = warnings
    }

    /// Finds a PF by netdev name, PCI address or sysfs device name.
    ///
    /// Throws ``SRIOVError/Code/notFound`` naming the known PFs when nothing matches.
    public func pf(matching identifier: String) throws(SRIOVError) -> PhysicalFunction {
        let pciWanted = PCIAddress(identifier)
        if let pf = pfs.first(where: {
            $0.netdevs.contains(identifier) || $0.sysfsDevice == identifier
                || (pciWanted != nil && $0.pciAddress == pciWanted)
        }) {
            return pf
        }
        let known = pfs.map(\.name).joined(separator: ", ")
        throw SRIOVError(.notFound, "unknown PF '\(TextRules.escaped(identifier))'"
                         + (known.isEmpty ? " (this host has no SR-IOV PF)" : " (known PFs: \(known))"))
    }
}

/// How a PF is attached to the host.
public enum PFKind: String, Hashable, Sendable, Codable {
    /// A PCI function with `sriov_totalvfs` and `virtfnN` links.
    case pci
    /// A non-PCI device with `sriov_numvfs` only (netdevsim); VFs known by index.
    case netdevsim
}

/// One SR-IOV physical function.
public struct PhysicalFunction: Hashable, Sendable, Codable {
    /// Display name: the first netdev, else the sysfs device name.
    public var name: String
    /// PCI address, `nil` for non-PCI PFs.
    public var pciAddress: PCIAddress?
    /// The device's directory name in sysfs (`0000:01:00.0`, `netdevsim10`).
    public var sysfsDevice: String
    /// PCI or netdevsim.
    public var kind: PFKind
    /// PCI vendor id (`0x8086`).
    public var vendorID: String?
    /// PCI device id (`0x10c9`).
    public var deviceID: String?
    /// Bound driver (`igb`, `mlx5_core`), `nil` when unbound.
    public var driver: String?
    /// Netdev names of this PF (a multi-port non-PCI device can have several).
    public var netdevs: [String]
    /// `sriov_totalvfs`; `nil` when the device does not report it.
    public var totalVFs: Int?
    /// `sriov_numvfs`; `nil` when unreadable.
    public var numVFs: Int?
    /// `sriov_drivers_autoprobe`; `nil` when absent.
    public var driversAutoprobe: Bool?
    /// Operational state of the first netdev (`up`, `down`...), `nil` without netdev.
    public var linkState: String?
    /// NUMA node, `nil` when unknown (sysfs says -1).
    public var numaNode: Int?
    /// VFs, by index.
    public var vfs: [VirtualFunction]

    /// Creates a PF record.
    public init(name: String, pciAddress: PCIAddress?, sysfsDevice: String, kind: PFKind, vendorID: String? = nil,
                deviceID: String? = nil, driver: String? = nil, netdevs: [String] = [], totalVFs: Int? = nil,
                numVFs: Int?, driversAutoprobe: Bool? = nil, linkState: String? = nil, numaNode: Int? = nil,
                vfs: [VirtualFunction] = []) {
        self.name = name
        self.pciAddress = pciAddress
        self.sysfsDevice = sysfsDevice
        self.kind = kind
        self.vendorID = vendorID
        self.deviceID = deviceID
        self.driver = driver
        self.netdevs = netdevs
        self.totalVFs = totalVFs
        self.numVFs = numVFs
        self.driversAutoprobe = driversAutoprobe
        self.linkState = linkState
        self.numaNode = numaNode
        self.vfs = vfs
    }

    /// The VF with index `index`.
    public func vf(_ index: Int) -> VirtualFunction? { vfs.first { $0.index == index } }

    /// The netdev to address over netlink, if any.
    public var netdev: String? { netdevs.first }
}

/// One VF of a PF, as sysfs shows it.
public struct VirtualFunction: Hashable, Sendable, Codable {
    /// VF index on its PF (from `virtfnN`, or 0..<numVFs for non-PCI PFs).
    public var index: Int
    /// PCI address, `nil` for non-PCI VFs.
    public var pciAddress: PCIAddress?
    /// Bound driver (`igbvf`, `iavf`, `mlx5_core`, `vfio-pci`), `nil` when unbound.
    public var driver: String?
    /// Netdev name when bound to a host network driver.
    public var netdev: String?
    /// IOMMU group number, `nil` without IOMMU.
    public var iommuGroup: Int?
    /// Every device in the VF's IOMMU group, including the VF itself.
    public var iommuGroupDevices: [String]
    /// The libvirt node-device name (`pci_0000_0b_10_0`), `nil` for non-PCI VFs.
    public var libvirtNodeDevice: String?
    /// What the kernel reports over netlink for this VF; filled by `list` when available.
    public var live: VFState?

    /// Creates a VF record.
    public init(index: Int, pciAddress: PCIAddress? = nil, driver: String? = nil, netdev: String? = nil,
                iommuGroup: Int? = nil, iommuGroupDevices: [String] = [], live: VFState? = nil) {
        self.index = index
        self.pciAddress = pciAddress
        self.driver = driver
        self.netdev = netdev
        self.iommuGroup = iommuGroup
        self.iommuGroupDevices = iommuGroupDevices
        self.libvirtNodeDevice = pciAddress?.libvirtNodeDeviceName
        self.live = live
    }
}
