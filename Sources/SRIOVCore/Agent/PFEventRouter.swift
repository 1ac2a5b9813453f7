/// Maps a ``PFEvent`` to the pass it calls for, using the names the last pass saw on the
/// host: PF netdevs, PF and VF PCI addresses, VF netdevs. Pure; rebuilt after every pass
/// from a fresh look at sysfs.
///
/// An event for a name the router does not know (a new interface, a device that appeared
/// since the last pass, a netdevsim device) calls for a pass over every PF: events only say
/// where to look, and a PF that just appeared must be provisioned too.
public struct PFEventRouter: Hashable, Sendable {
    /// PF device (``PassTarget/pf(_:)``) by netdev name, PF's or VF's.
    public var deviceByNetdev: [String: String]
    /// PF device by PCI address, PF's or VF's.
    public var deviceByPCI: [PCIAddress: String]
    /// Per PF device: its `sriov_numvfs` file (relative to the sysfs root) and the count the
    /// last pass saw. Some drivers change their VF count without any event (netdevsim; a
    /// firmware reset): ``vfCountChanges(reading:)`` notices it cheaply between passes.
    public var vfCounts: [String: (file: String, count: Int?)]

    /// Creates a router from name maps.
    public init(deviceByNetdev: [String: String] = [:], deviceByPCI: [PCIAddress: String] = [:],
                vfCounts: [String: (file: String, count: Int?)] = [:]) {
        self.deviceByNetdev = deviceByNetdev
        self.deviceByPCI = deviceByPCI
        self.vfCounts = vfCounts
    }

    public static func == (lhs: PFEventRouter, rhs: PFEventRouter) -> Bool {
        lhs.deviceByNetdev == rhs.deviceByNetdev && lhs.deviceByPCI == rhs.deviceByPCI
            && lhs.vfCounts.mapValues(\.file) == rhs.vfCounts.mapValues(\.file)
            && lhs.vfCounts.mapValues(\.count) == rhs.vfCounts.mapValues(\.count)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(deviceByNetdev)
        hasher.combine(deviceByPCI)
    }

    /// The PFs whose `sriov_numvfs` now differs from what the last pass saw; `read` returns a
    /// file's number (relative path), `nil` when unreadable (the PF is gone: that is a change too).
    public func vfCountChanges(reading read: (String) -> Int?) -> [PassTarget] {
        vfCounts.keys.sorted().compactMap { device in
            let entry = vfCounts[device]!
            return read(entry.file) == entry.count ? nil : .pf(device)
        }
    }

    /// A router for the PFs of `inventory`: each PF's and VF's netdev and PCI address
    /// leads to the PF's device name (PCI address, or sysfs device for non-PCI PFs).
    public init(inventory: HostInventory) {
        self.init()
        for pf in inventory.pfs {
            let device = pf.pciAddress?.description ?? pf.sysfsDevice
            if let netdev = pf.netdev { deviceByNetdev[netdev] = device }
            if let pci = pf.pciAddress { deviceByPCI[pci] = device }
            let bus = pf.kind == .pci ? "pci" : pf.kind.rawValue
            vfCounts[device] = ("bus/\(bus)/devices/\(pf.sysfsDevice)/sriov_numvfs", pf.numVFs)
            for vf in pf.vfs {
                if let netdev = vf.netdev { deviceByNetdev[netdev] = device }
                if let pci = vf.pciAddress { deviceByPCI[pci] = device }
            }
        }
    }

    /// The pass `event` calls for, or `nil` when it concerns nothing the agent manages
    /// (an interface removed that was never a PF or VF: a veth, a tap). A removed PF
    /// or VF calls for its PF's pass (so the counters and the log say it vanished).
    public func target(for event: PFEvent) -> PassTarget? {
        switch event.subject {
        case .everyPF:
            return .everyPF
        case .netdev(let name):
            if let device = deviceByNetdev[name] { return .pf(device) }
            return event.change == .removed ? nil : .everyPF
        case .pci(let address):
            if let device = deviceByPCI[address] { return .pf(device) }
            return event.change == .removed ? nil : .everyPF
        }
    }
}
