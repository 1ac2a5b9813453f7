/// The declarative host configuration (`/etc/sriovctl/config.yaml`), as a value.
///
/// Loaded and checked by SRIOVConfigFile; used by provisioning (PFs) and attachment
/// (networks, MAC pool). See config/config.example.yaml for the annotated file.
public struct HostConfig: Hashable, Sendable, Codable {
    /// Per-PF provisioning.
    public var pfs: [PFConfig]
    /// Networks guests attach to.
    public var networks: [NetworkDefinition]
    /// Where guest MACs are allocated from.
    public var macPool: MACPool
    /// True when the config file set `mac_pool:` (else each SQLite host starts allocating in
    /// a slice of the default pool chosen from its machine id, ``MACPool/startingInHostSlice(machineID:)``).
    public var macPoolGiven = false
    /// How `sriovctl agent` paces itself (the `agent:` section); defaults when absent.
    public var agent: AgentSettings
    /// Where the agent's local API listens (`agent.api:`).
    public var agentAPI: AgentAPISettings = AgentAPISettings()
    /// Where the state database is (`state:`); `nil`: the SQLite file (`--db`).
    public var state: StateSettings?

    /// Creates a config.
    public init(pfs: [PFConfig] = [], networks: [NetworkDefinition] = [], macPool: MACPool = .default,
                agent: AgentSettings = AgentSettings()) {
        self.pfs = pfs
        self.networks = networks
        self.macPool = macPool
        self.agent = agent
    }

    /// The network named `name`; throws ``SRIOVError/Code/notFound`` listing the known ones.
    public func network(named name: String) throws(SRIOVError) -> NetworkDefinition {
        if let network = networks.first(where: { $0.name == name }) { return network }
        let known = networks.map(\.name).joined(separator: ", ")
        throw SRIOVError(.notFound, "unknown network '\(TextRules.escaped(name))'"
                         + (known.isEmpty ? " (the config declares no networks)" : " (known networks: \(known))"))
    }
}

/// How a PF is identified in the config: netdev name, PCI address or permanent MAC.
public enum PFSelector: Hashable, Sendable, Codable, CustomStringConvertible {
    /// By netdev name (`eth0`); not stable across renames.
    case netdev(String)
    /// By PCI address; stable.
    case pciAddress(PCIAddress)
    /// By permanent (burned-in) MAC; stable.
    case permanentMAC(MACAddress)

    /// Parses a selector as written in the config or on the command line: a PCI address,
    /// a MAC (permanent MAC), or else a netdev name.
    public init(parsing text: String) {
        if let pci = PCIAddress(text) {
            self = .pciAddress(pci)
        } else if let mac = MACAddress(text) {
            self = .permanentMAC(mac)
        } else {
            self = .netdev(text)
        }
    }

    public var description: String {
        switch self {
        case .netdev(let name): name
        case .pciAddress(let address): address.description
        case .permanentMAC(let mac): mac.description
        }
    }
}

/// How VFs are created on a PF.
public enum VFCreationMethod: String, Hashable, Sendable, Codable {
    /// Write `sriov_numvfs` (the default).
    case sysfs
    /// Legacy `max_vfs` module parameter in /etc/modprobe.d (igb, some ixgbe).
    case maxVFs = "max_vfs"
}

/// Provisioning of one PF.
public struct PFConfig: Hashable, Sendable, Codable {
    /// Which PF.
    public var selector: PFSelector
    /// How many VFs it must have.
    public var numVFs: Int
    /// sysfs or max_vfs.
    public var method: VFCreationMethod
    /// `sriov_drivers_autoprobe` to write before creating VFs; `nil` leaves it.
    public var driversAutoprobe: Bool?
    /// Bind its VFs to vfio-pci (else leave binding to libvirt's `managed='yes'`).
    public var vfio: Bool
    /// Settings for every VF.
    public var vfDefaults: VFSettings
    /// Per-VF overrides, by VF index, applied over the defaults.
    public var vfOverrides: [Int: VFSettings]
    /// Where in the config file this PF was declared (`file:line`), for messages.
    public var source: String?

    /// Creates a PF config.
    public init(selector: PFSelector, numVFs: Int, method: VFCreationMethod = .sysfs, driversAutoprobe: Bool? = nil,
                vfio: Bool = false, vfDefaults: VFSettings = VFSettings(), vfOverrides: [Int: VFSettings] = [:],
                source: String? = nil) {
        self.selector = selector
        self.numVFs = numVFs
        self.method = method
        self.driversAutoprobe = driversAutoprobe
        self.vfio = vfio
        self.vfDefaults = vfDefaults
        self.vfOverrides = vfOverrides
        self.source = source
    }

    /// The settings of VF `index`: defaults with its override on top.
    public func settings(forVF index: Int) -> VFSettings {
        vfOverrides[index].map { vfDefaults.merging($0) } ?? vfDefaults
    }
}

/// A network guests attach to: a pool of PFs whose VFs carry it.
public struct NetworkDefinition: Hashable, Sendable, Codable {
    /// Name used by `attach --network`.
    public var name: String
    /// The PFs whose VFs serve this network, in order of preference.
    public var pfs: [PFSelector]
    /// VF indexes never handed out, per PF selector text.
    public var excludedVFs: [String: [Int]]
    /// VLAN given to guests on this network unless `--vlan` says otherwise.
    public var vlan: PortVLAN?
    /// Other defaults for guests' VFs (trust, spoofchk, link state, rates).
    public var vfDefaults: VFSettings
    /// The VF indexes of a PF that belong to this network (`pfs: ["eth0#0-7"]`); a PF without
    /// an entry gives every VF. Two networks may share a PF only with disjoint ranges.
    public var vfRanges: [PFSelector: ClosedRange<Int>] = [:]
    /// How the guest's NUMA node weighs in the choice of a VF (`numa:`, default preferred).
    public var numa: NUMAPolicy = .preferred
    /// Prefer PFs whose link is up (`prefer_link_up:`, default true).
    public var preferLinkUp: Bool = true
    /// The virtio path of `attach --failover` (`failover: {network: NAME}` or `{bridge: NAME}`);
    /// `nil` when the network has none (then `--failover` is refused).
    public var failover: FailoverPath?
    /// Where each PF selector is written in the config (`config.yaml:7: networks[0].pfs[1]`),
    /// so an error about that PF names the file, line and key; empty for a network built in code.
    /// Not part of equality and not encoded: the state database stores what a network is, not
    /// where a file said it.
    public var pfSources: [PFSelector: String] = [:]

    private enum CodingKeys: String, CodingKey {
        case name, pfs, excludedVFs, vlan, vfDefaults, vfRanges, numa, preferLinkUp, failover
    }

    public static func == (lhs: NetworkDefinition, rhs: NetworkDefinition) -> Bool {
        lhs.name == rhs.name && lhs.pfs == rhs.pfs && lhs.excludedVFs == rhs.excludedVFs && lhs.vlan == rhs.vlan
            && lhs.vfDefaults == rhs.vfDefaults && lhs.vfRanges == rhs.vfRanges && lhs.numa == rhs.numa
            && lhs.preferLinkUp == rhs.preferLinkUp && lhs.failover == rhs.failover
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(pfs)
        hasher.combine(excludedVFs)
        hasher.combine(vlan)
        hasher.combine(vfDefaults)
        hasher.combine(vfRanges)
        hasher.combine(numa)
        hasher.combine(preferLinkUp)
        hasher.combine(failover)
    }

    /// Decodes a network; the placement keys (ranges, NUMA, link, failover) are optional so
    /// networks recorded before them still read.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        pfs = try container.decode([PFSelector].self, forKey: .pfs)
        excludedVFs = try container.decode([String: [Int]].self, forKey: .excludedVFs)
        vlan = try container.decodeIfPresent(PortVLAN.self, forKey: .vlan)
        vfDefaults = try container.decode(VFSettings.self, forKey: .vfDefaults)
        vfRanges = try container.decodeIfPresent([PFSelector: ClosedRange<Int>].self, forKey: .vfRanges) ?? [:]
        numa = try container.decodeIfPresent(NUMAPolicy.self, forKey: .numa) ?? .preferred
        preferLinkUp = try container.decodeIfPresent(Bool.self, forKey: .preferLinkUp) ?? true
        failover = try container.decodeIfPresent(FailoverPath.self, forKey: .failover)
    }

    /// Creates a network.
    public init(name: String, pfs: [PFSelector], excludedVFs: [String: [Int]] = [:], vlan: PortVLAN? = nil,
                vfDefaults: VFSettings = VFSettings(), vfRanges: [PFSelector: ClosedRange<Int>] = [:],
                numa: NUMAPolicy = .preferred, preferLinkUp: Bool = true, failover: FailoverPath? = nil) {
        self.name = name
        self.pfs = pfs
        self.excludedVFs = excludedVFs
        self.vlan = vlan
        self.vfDefaults = vfDefaults
        self.vfRanges = vfRanges
        self.numa = numa
        self.preferLinkUp = preferLinkUp
        self.failover = failover
    }

    /// The settings provisioning gives the VFs of a range of this network: the network's
    /// defaults with its VLAN.
    public var poolSettings: VFSettings {
        var settings = vfDefaults
        if let vlan { settings.vlan = vlan }
        return settings
    }
}

/// The range guest MACs are allocated from.
public struct MACPool: Hashable, Sendable, Codable, CustomStringConvertible {
    /// First MAC of the range (inclusive).
    public var first: MACAddress
    /// Last MAC of the range (inclusive).
    public var last: MACAddress

    /// Where allocation begins (it goes on to `last`, then wraps to `first`); `nil`: `first`.
    public var start: MACAddress?

    /// Creates a pool; the caller checks that it is unicast and `first <= last`.
    public init(first: MACAddress, last: MACAddress) {
        self.first = first
        self.last = last
    }

    /// The pool, allocating first from this host's slice of 65,536 MACs, chosen from the
    /// host's machine id: `02:5a:HH:HH:00:00`-`02:5a:HH:HH:ff:ff` with `HHHH` 16 bits of
    /// an FNV-1a hash of the id. Hosts that share an L2 network without a fleet database then
    /// do not give their first guests the same MAC (two hosts meet in one slice with odds of
    /// 1 in 65,536; give each host its own `mac_pool:` to rule it out). Every MAC of the pool
    /// stays valid (leases made before keep theirs); only where allocation starts moves.
    public func startingInHostSlice(machineID: String) -> MACPool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in machineID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        var pool = self
        let slice = MACAddress(integer: (first.integer & 0xffff_0000_0000) | ((hash & 0xffff) << 16))
        pool.start = contains(slice) ? slice : nil
        return pool
    }

    /// The default: locally administered, unicast `02:5a:00:00:00:00`-`02:5a:ff:ff:ff:ff`.
    public static let `default` = MACPool(first: MACAddress(integer: 0x02_5a_00_00_00_00),
                                          last: MACAddress(integer: 0x02_5a_ff_ff_ff_ff))

    /// True when `mac` lies in the pool.
    public func contains(_ mac: MACAddress) -> Bool { mac >= first && mac <= last }

    public var description: String { "\(first)-\(last)" }
}
