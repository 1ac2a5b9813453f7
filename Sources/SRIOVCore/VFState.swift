/// What the kernel reports for one VF of a PF (one `IFLA_VF_INFO` entry).
///
/// Fields a driver does not report are `nil`. VFs are identified by the index the
/// kernel puts inside the entry, never by their position in the list.
public struct VFState: Hashable, Sendable, Codable {
    /// The VF index on its PF (0-based), as the kernel numbers it.
    public var index: Int
    /// The VF's administrative MAC (zero when unset).
    public var mac: MACAddress
    /// Port VLANs. Drivers report one entry; empty or `[.none]` means untagged.
    public var vlans: [PortVLAN]
    /// MAC/VLAN anti-spoof checking.
    public var spoofCheck: Bool?
    /// Trusted mode (may change MAC, enter promiscuous mode).
    public var trust: Bool?
    /// Administrative link state.
    public var linkState: VFLinkState?
    /// Minimum TX rate in Mbps (0: none).
    public var minTxRate: Int?
    /// Maximum TX rate in Mbps (0: unlimited).
    public var maxTxRate: Int?
    /// Whether the VF may query the PF's RSS configuration.
    public var rssQuery: Bool?

    /// Creates a VF state.
    public init(index: Int, mac: MACAddress = .zero, vlans: [PortVLAN] = [], spoofCheck: Bool? = nil,
                trust: Bool? = nil, linkState: VFLinkState? = nil, minTxRate: Int? = nil,
                maxTxRate: Int? = nil, rssQuery: Bool? = nil) {
        self.index = index
        self.mac = mac
        self.vlans = vlans
        self.spoofCheck = spoofCheck
        self.trust = trust
        self.linkState = linkState
        self.minTxRate = minTxRate
        self.maxTxRate = maxTxRate
        self.rssQuery = rssQuery
    }

    /// The effective port VLAN: the first non-empty entry, or ``PortVLAN/none``.
    public var vlan: PortVLAN { vlans.first { $0.id != 0 || $0.qos != 0 } ?? .none }

    /// The settings that describe this state, usable to restore it later.
    public var asSettings: VFSettings {
        VFSettings(mac: mac, vlan: vlan, spoofCheck: spoofCheck, trust: trust, linkState: linkState,
                   minTxRate: minTxRate, maxTxRate: maxTxRate)
    }
}

/// What the kernel reports for one PF netdev: its identity and all its VFs.
public struct PFLinkStatus: Hashable, Sendable, Codable {
    /// Interface index.
    public var ifindex: Int
    /// Netdev name at the time of reading.
    public var name: String
    /// Current MAC.
    public var mac: MACAddress?
    /// Permanent (burned-in) MAC, `IFLA_PERM_ADDRESS`; stable across renames.
    public var permanentMAC: MACAddress?
    /// RFC 2863 operational state: `up`, `down`, `lowerlayerdown`, `unknown`, ...
    public var operState: String
    /// How many VFs the kernel says exist (`IFLA_NUM_VF`).
    public var numVFs: Int
    /// Every VF, sorted by index.
    public var vfs: [VFState]

    /// Creates a PF status.
    public init(ifindex: Int, name: String, mac: MACAddress? = nil, permanentMAC: MACAddress? = nil,
                operState: String = "unknown", numVFs: Int, vfs: [VFState]) {
        self.ifindex = ifindex
        self.name = name
        self.mac = mac
        self.permanentMAC = permanentMAC
        self.operState = operState
        self.numVFs = numVFs
        self.vfs = vfs
    }

    /// The VF with kernel index `index`, if reported.
    public func vf(_ index: Int) -> VFState? { vfs.first { $0.index == index } }
}
