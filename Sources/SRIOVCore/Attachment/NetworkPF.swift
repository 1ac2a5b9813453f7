/// One PF of a network, resolved on this host: its sysfs view, its netlink status and the
/// VF indexes the config excludes.
public struct NetworkPF: Hashable, Sendable {
    /// The PF as discovered in sysfs.
    public var pf: PhysicalFunction
    /// Its link and VFs over netlink.
    public var status: PFLinkStatus
    /// How the state database records it.
    public var record: PFRecord
    /// VF indexes never handed out (`exclude_vfs`).
    public var excludedVFs: Set<Int>
    /// The network's VF range on this PF (`eth0#0-7`); `nil` for every VF.
    public var vfRange: ClosedRange<Int>?

    /// Creates a resolved PF.
    public init(pf: PhysicalFunction, status: PFLinkStatus, excludedVFs: Set<Int> = [], vfRange: ClosedRange<Int>? = nil) {
        self.pf = pf
        self.status = status
        self.record = PFRecord(pf: pf, status: status)
        self.excludedVFs = excludedVFs
        self.vfRange = vfRange
    }

    /// True when VF `index` belongs to the network (inside its range, if it has one).
    public func inPool(_ index: Int) -> Bool { vfRange?.contains(index) ?? true }

    /// True when the PF's link is up (netlink's operational state, else sysfs `operstate`);
    /// `unknown` counts as up (netdevsim and some drivers never report it).
    public var linkIsUp: Bool {
        let state = status.operState.isEmpty ? (pf.linkState ?? "unknown") : status.operState
        return state.lowercased() == "up" || state.lowercased() == "unknown"
    }

    /// The netdev to program.
    public var netdev: String { status.name }
}

/// Maps a network's PF selectors onto the PFs of this host.
public enum NetworkPFResolver {
    /// Resolves every PF of `network`, in the network's order, without duplicates.
    ///
    /// `statuses` holds the netlink status of each PF netdev that could be read and
    /// `readErrors` the error of each that could not. Throws naming the network and the
    /// PF when a selector matches nothing (prefixed with the config's `file:line: key` of that
    /// PF, ``NetworkDefinition/pfSources``), or its PF has no netdev or cannot be read.
    public static func resolve(_ network: NetworkDefinition, inventory: HostInventory,
                               statuses: [String: PFLinkStatus],
                               readErrors: [String: SRIOVError] = [:]) throws(SRIOVError) -> [NetworkPF] {
        if network.pfs.isEmpty {
            throw SRIOVError(.invalidConfig, "network '\(network.name)' lists no PFs")
        }
        var resolved: [NetworkPF] = []
        for selector in network.pfs {
            let pf: PhysicalFunction
            do {
                pf = try find(selector, network: network.name, inventory: inventory, statuses: statuses)
            } catch {
                // Name the config line that lists this PF, when the network came from a file.
                throw SRIOVError((network.pfSources[selector].map { "\($0): " } ?? "") + error.message, causedBy: error)
            }
            guard let netdev = pf.netdev else {
                throw SRIOVError(.notFound, (network.pfSources[selector].map { "\($0): " } ?? "")
                                 + "network '\(network.name)': PF \(pf.name) has no netdev "
                                 + "(driver unbound?); its VFs cannot be programmed")
            }
            guard let status = statuses[netdev] else {
                let cause = readErrors[netdev]?.message ?? "its VFs could not be read over netlink"
                throw SRIOVError(readErrors[netdev]?.code ?? .system, "network '\(network.name)': \(cause)")
            }
            if resolved.contains(where: { $0.pf.sysfsDevice == pf.sysfsDevice }) { continue }
            resolved.append(NetworkPF(pf: pf, status: status,
                                      excludedVFs: excluded(for: pf, selector: selector, in: network),
                                      vfRange: network.vfRanges[selector]))
        }
        return resolved
    }

    /// The sysfs device of the PF `selector` names on this host, `nil` when none: the
    /// identity ``NetworkPoolOverlap`` compares.
    public static func device(of selector: PFSelector, inventory: HostInventory,
                              statuses: [String: PFLinkStatus]) -> String? {
        (try? find(selector, network: "", inventory: inventory, statuses: statuses))?.sysfsDevice
    }

    private static func find(_ selector: PFSelector, network: String, inventory: HostInventory,
                             statuses: [String: PFLinkStatus]) throws(SRIOVError) -> PhysicalFunction {
        let found: PhysicalFunction?
        switch selector {
        case .netdev(let name):
            found = inventory.pfs.first { $0.netdevs.contains(name) || $0.sysfsDevice == name }
        case .pciAddress(let address):
            found = inventory.pfs.first { $0.pciAddress == address }
        case .permanentMAC(let mac):
            found = inventory.pfs.first { pf in pf.netdevs.contains { statuses[$0]?.permanentMAC == mac } }
        }
        if let found { return found }
        let known = inventory.pfs.map(\.name).joined(separator: ", ")
        throw SRIOVError(.notFound, "network '\(network)': PF '\(selector)' is not on this host"
                         + (known.isEmpty ? " (this host has no SR-IOV PF)" : " (SR-IOV PFs here: \(known))"))
    }

    /// `exclude_vfs` keys may name the PF by any of its names.
    private static func excluded(for pf: PhysicalFunction, selector: PFSelector,
                                 in network: NetworkDefinition) -> Set<Int> {
        var names: Set<String> = Set(pf.netdevs)
        names.insert(selector.description)
        names.insert(pf.sysfsDevice)
        if let pci = pf.pciAddress { names.insert(pci.description) }
        var result = Set<Int>()
        for (key, indexes) in network.excludedVFs {
            let samePCI = pf.pciAddress != nil && PCIAddress(key) == pf.pciAddress
            if names.contains(key) || samePCI { result.formUnion(indexes) }
        }
        return result
    }
}
