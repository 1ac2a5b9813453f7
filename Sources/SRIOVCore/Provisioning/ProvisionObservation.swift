/// What provisioning sees on the host before planning: sysfs, netlink, the module
/// configuration. Built by ``ProvisionObserver``; planning reads nothing else.
public struct ProvisionObservation: Sendable {
    /// Every SR-IOV PF with what netlink and sysfs say about it.
    public var pfs: [ObservedPF]
    /// Module facts for drivers of PFs configured with `method: max_vfs`, by driver name.
    public var modules: [String: ObservedModule]
    /// sysfs discovery warnings.
    public var warnings: [String]

    /// Creates an observation.
    public init(pfs: [ObservedPF], modules: [String: ObservedModule] = [:], warnings: [String] = []) {
        self.pfs = pfs
        self.modules = modules
        self.warnings = warnings
    }

    /// The PF with PCI address or sysfs device name `device`.
    public func pf(device: String) -> ObservedPF? { pfs.first { $0.device == device } }
}

/// One PF as seen now.
public struct ObservedPF: Sendable {
    /// The sysfs view.
    public var pf: PhysicalFunction
    /// What netlink reports, or why it could not be read; `nil` without a netdev.
    public var link: Result<PFLinkStatus, SRIOVError>?
    /// The permanent MAC: netlink's `IFLA_PERM_ADDRESS`, else the sysfs `address` when its
    /// `addr_assign_type` says it is the burned-in one.
    public var permanentMAC: MACAddress?
    /// Members of the IOMMU groups of its VFs, by group number (read for `vfio: true` PFs).
    public var iommuGroups: [Int: [IOMMUGroupPeer]]

    /// Creates an observed PF.
    public init(pf: PhysicalFunction, link: Result<PFLinkStatus, SRIOVError>? = nil, permanentMAC: MACAddress? = nil,
                iommuGroups: [Int: [IOMMUGroupPeer]] = [:]) {
        self.pf = pf
        self.link = link
        self.permanentMAC = permanentMAC
        self.iommuGroups = iommuGroups
    }

    /// PCI address, or the sysfs device name of a non-PCI PF: the stable name.
    public var device: String { pf.pciAddress?.description ?? pf.sysfsDevice }

    /// The netlink status when it was read.
    public var linkStatus: PFLinkStatus? {
        if case .success(let status) = link { return status }
        return nil
    }

    /// Why netlink could not be read, if it could not.
    public var linkError: SRIOVError? {
        if case .failure(let error) = link { return error }
        return nil
    }

    /// `eth0 (0000:0b:00.0)`, or the device alone without netdev.
    public var label: String {
        if let netdev = pf.netdev, netdev != device { return "\(netdev) (\(device))" }
        return device
    }
}

/// A kernel module that creates VFs through `max_vfs`.
public struct ObservedModule: Hashable, Sendable, Codable {
    /// PCI driver name (`igb`).
    public var driver: String
    /// Module name (`igb`).
    public var module: String
    /// sriovctl's modprobe.d file for it.
    public var path: String
    /// That file's content now, `nil` when absent.
    public var currentContents: String?
    /// One value per port, or one for all.
    public var shape: MaxVFsParameterShape

    /// Creates a module record.
    public init(driver: String, module: String, path: String, currentContents: String?, shape: MaxVFsParameterShape) {
        self.driver = driver
        self.module = module
        self.path = path
        self.currentContents = currentContents
        self.shape = shape
    }
}
