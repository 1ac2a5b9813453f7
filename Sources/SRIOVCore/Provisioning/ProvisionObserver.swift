/// Gathers a ``ProvisionObservation``: sysfs discovery, one netlink read per PF netdev,
/// the permanent MACs, IOMMU groups of `vfio: true` PFs and the modprobe.d state of
/// `max_vfs` drivers. Reads only; changes nothing.
public struct ProvisionObserver: Sendable {
    /// sysfs discovery.
    public var discovery: any HostDiscovering
    /// rtnetlink; `nil` when netlink is not to be used (`--no-netlink`).
    public var links: (any VFLinkControlling)?
    /// sysfs device access.
    public var devices: any SRIOVDeviceControlling
    /// Module configuration.
    public var modules: any KernelModuleControlling

    /// Creates an observer.
    public init(discovery: any HostDiscovering, links: (any VFLinkControlling)?, devices: any SRIOVDeviceControlling,
                modules: any KernelModuleControlling) {
        self.discovery = discovery
        self.links = links
        self.devices = devices
        self.modules = modules
    }

    /// Looks at the host as `config` needs it.
    public func observe(config: HostConfig) -> ProvisionObservation {
        let inventory = discovery.discover()
        var pfs = inventory.pfs.map(observe)
        var modules: [String: ObservedModule] = [:]
        for pfConfig in config.pfs {
            guard let index = PFMatcher.index(of: pfConfig.selector, in: pfs) else { continue }
            if pfConfig.vfio { pfs[index].iommuGroups = groups(of: pfs[index].pf) }
            if pfConfig.method == .maxVFs, let driver = pfs[index].pf.driver, modules[driver] == nil {
                modules[driver] = observeModule(driver: driver)
            }
        }
        return ProvisionObservation(pfs: pfs, modules: modules, warnings: inventory.warnings)
    }

    /// Looks again at the PFs named by PCI address or sysfs device name (after their VFs
    /// changed), with one sysfs discovery and one netlink read per PF; PFs that are gone
    /// are missing from the result. PFs in `withGroups` also get their VFs' IOMMU groups.
    public func observe(devices: Set<String>, withGroups: Set<String>) -> [String: ObservedPF] {
        var result: [String: ObservedPF] = [:]
        for pf in discovery.discover().pfs {
            let device = pf.pciAddress?.description ?? pf.sysfsDevice
            guard devices.contains(device) else { continue }
            var observed = observe(pf)
            if withGroups.contains(device) { observed.iommuGroups = groups(of: pf) }
            result[device] = observed
        }
        return result
    }

    private func observe(_ pf: PhysicalFunction) -> ObservedPF {
        var observed = ObservedPF(pf: pf)
        guard let netdev = pf.netdev else { return observed }
        if let links {
            do {
                observed.link = .success(try links.readPF(netdev))
            } catch {
                observed.link = .failure(error)
            }
        } else {
            observed.link = .failure(SRIOVError(.notSupported, "\(netdev): live VF settings not read (--no-netlink)"))
        }
        if let permanent = observed.linkStatus?.permanentMAC {
            observed.permanentMAC = permanent
        } else if let hardware = devices.hardwareAddress(ofNetdev: netdev), hardware.isPermanent,
                  !hardware.address.isZero {
            observed.permanentMAC = hardware.address
        }
        return observed
    }

    private func groups(of pf: PhysicalFunction) -> [Int: [IOMMUGroupPeer]] {
        var result: [Int: [IOMMUGroupPeer]] = [:]
        for vf in pf.vfs {
            guard let group = vf.iommuGroup, result[group] == nil else { continue }
            result[group] = devices.iommuGroupMembers(group)
        }
        return result
    }

    private func observeModule(driver: String) -> ObservedModule {
        let module = modules.moduleName(forDriver: driver)
        return ObservedModule(driver: driver, module: module, path: modules.modprobeFilePath(module: module),
                              currentContents: modules.readModprobeFile(module: module),
                              shape: modules.maxVFsParameterShape(module: module))
    }
}
