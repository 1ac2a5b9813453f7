/// What attach and detach read from the host before touching the database: sysfs
/// discovery, every PF's VFs over netlink, and the MACs in use on host interfaces and VFs.
public struct HostSurvey: Sendable {
    /// sysfs view.
    public var inventory: HostInventory
    /// Netlink status of each PF netdev that could be read.
    public var statuses: [String: PFLinkStatus]
    /// The error of each PF netdev that could not.
    public var readErrors: [String: SRIOVError]
    /// MACs on host interfaces and VFs (``MACUsage/seen`` only).
    public var seenMACs: MACUsage

    /// Creates a survey from parts (tests).
    public init(inventory: HostInventory, statuses: [String: PFLinkStatus], readErrors: [String: SRIOVError] = [:],
                seenMACs: MACUsage = MACUsage()) {
        self.inventory = inventory
        self.statuses = statuses
        self.readErrors = readErrors
        self.seenMACs = seenMACs
    }

    /// Reads the host. A PF whose VFs cannot be read is recorded in ``readErrors`` (an error
    /// only if a network needs it).
    public static func take(discovery: any HostDiscovering, links: any VFLinkControlling,
                            devices: any HostDeviceInspecting) -> HostSurvey {
        let inventory = discovery.discover()
        var statuses: [String: PFLinkStatus] = [:]
        var errors: [String: SRIOVError] = [:]
        var seen = MACUsage()
        for (netdev, mac) in devices.interfaceMACs().sorted(by: { $0.key < $1.key }) {
            seen.addSeen(mac, at: "host interface \(netdev)")
        }
        for pf in inventory.pfs {
            guard let netdev = pf.netdev else { continue }
            do {
                let status = try links.readPF(netdev)
                statuses[netdev] = status
                for vf in status.vfs { seen.addSeen(vf.mac, at: "\(netdev) VF \(vf.index)") }
            } catch {
                errors[netdev] = error
            }
        }
        return HostSurvey(inventory: inventory, statuses: statuses, readErrors: errors, seenMACs: seen)
    }

    /// Where a recorded VF is on this host now: its PF's netdev and status, and its live
    /// state. `nil` when the PF is gone or another card sits at its address; `vf` is `nil`
    /// when the PF is there but the VF index does not exist (fewer VFs now).
    public func locate(_ key: VFKey) -> (pf: PhysicalFunction, status: PFLinkStatus?, vf: VirtualFunction?, live: VFState?)? {
        for pf in inventory.pfs where (pf.pciAddress?.description ?? pf.sysfsDevice) == key.pf.device {
            let status = pf.netdev.flatMap { statuses[$0] }
            if let status, !PFStableID(pf: pf, status: status).matches(key.pf) { continue }
            return (pf, status, pf.vf(key.index), status?.vf(key.index))
        }
        return nil
    }
}
