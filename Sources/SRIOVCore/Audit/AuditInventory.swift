/// What is where on one host: every PF and VF, guest, network and MAC the three sources know.
public struct AuditInventory: Hashable, Sendable, Codable {
    /// PFs with all their VFs.
    public var pfs: [AuditInventoryPF]
    /// Guests from the database and from libvirt, by name.
    public var guests: [AuditInventoryGuest]
    /// Networks that have leases, by name.
    public var networks: [AuditInventoryNetwork]
    /// Every MAC seen, with where it was seen, by MAC.
    public var macs: [AuditInventoryMAC]

    /// Creates an inventory.
    public init(pfs: [AuditInventoryPF] = [], guests: [AuditInventoryGuest] = [],
                networks: [AuditInventoryNetwork] = [], macs: [AuditInventoryMAC] = []) {
        self.pfs = pfs
        self.guests = guests
        self.networks = networks
        self.macs = macs
    }
}

/// A VF's state in the report and the per-PF picture.
public enum AuditVFStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Not assigned, carrying no MAC (or the placeholder).
    case free
    /// Assigned and matching the database.
    case assigned
    /// Assigned, but its live state differs from the database.
    case drifted
    /// Free, but carrying a MAC.
    case stale
    /// Used by a libvirt guest sriovctl did not assign it to.
    case foreign
    /// Live state could not be read.
    case unknown
}

/// One PF in the inventory.
public struct AuditInventoryPF: Hashable, Sendable, Codable, ExplicitNullEncoding {
    /// Netdev name.
    public var name: String
    /// PCI address, `nil` for non-PCI PFs.
    public var pciAddress: PCIAddress?
    /// Operational state, `nil` when unknown.
    public var operState: String?
    /// Why live VF state could not be read, `nil` when it was.
    public var readError: String?
    /// Every VF by index.
    public var vfs: [AuditInventoryVF]

    /// Creates a PF entry.
    public init(name: String, pciAddress: PCIAddress?, operState: String?, readError: String?, vfs: [AuditInventoryVF]) {
        self.name = name
        self.pciAddress = pciAddress
        self.operState = operState
        self.readError = readError
        self.vfs = vfs
    }

    /// How many VFs have `status`.
    public func count(_ status: AuditVFStatus) -> Int { vfs.count { $0.status == status } }

    enum CodingKeys: String, CodingKey, CaseIterable { case name, pciAddress, operState, readError, vfs }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}

/// One VF in the inventory: live values, and who holds it.
public struct AuditInventoryVF: Hashable, Sendable, Codable, ExplicitNullEncoding {
    /// VF index.
    public var index: Int
    /// PCI address, `nil` for non-PCI VFs.
    public var pciAddress: PCIAddress?
    /// Picture state.
    public var status: AuditVFStatus
    /// The worst severity of the findings naming this VF, `nil` when none does.
    public var worstFinding: AuditSeverity?
    /// Live MAC, `nil` when unread.
    public var mac: MACAddress?
    /// Live port VLAN (`100`, `100:3`, `0` for none), `nil` when unread.
    public var vlan: String?
    /// Live spoof checking, `nil` when not reported.
    public var spoofCheck: Bool?
    /// Live trust, `nil` when not reported.
    public var trust: Bool?
    /// Live link state, `nil` when not reported.
    public var linkState: VFLinkState?
    /// The guest holding it (assignment, or libvirt definition for a foreign VF).
    public var guest: String?
    /// The holding lease's network.
    public var network: String?
    /// The holding lease's id (`guest/network/slot`).
    public var lease: String?
    /// The MAC the database expects on it.
    public var expectedMAC: MACAddress?

    /// Creates a VF entry.
    public init(index: Int, pciAddress: PCIAddress?, status: AuditVFStatus, worstFinding: AuditSeverity? = nil,
                mac: MACAddress? = nil, vlan: String? = nil, spoofCheck: Bool? = nil, trust: Bool? = nil,
                linkState: VFLinkState? = nil, guest: String? = nil, network: String? = nil, lease: String? = nil,
                expectedMAC: MACAddress? = nil) {
        self.index = index
        self.pciAddress = pciAddress
        self.status = status
        self.worstFinding = worstFinding
        self.mac = mac
        self.vlan = vlan
        self.spoofCheck = spoofCheck
        self.trust = trust
        self.linkState = linkState
        self.guest = guest
        self.network = network
        self.lease = lease
        self.expectedMAC = expectedMAC
    }

    /// True when the VF deserves a row in a listing: not free, named by a finding, or carrying a
    /// MAC. Clean free VFs are only counted.
    public var isNotable: Bool {
        status != .free || worstFinding != nil || (mac.map { !$0.isUnsetOrPlaceholder } ?? false)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case index, pciAddress, status, worstFinding, mac, vlan, spoofCheck = "spoofchk", trust, linkState, guest
        case network, lease, expectedMAC = "expectedMac"
    }

    static var renamedProperties: [String: String] { ["spoofchk": "spoofCheck"] }

    public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
}

/// What libvirt says about a guest.
public enum AuditGuestState: String, Hashable, Sendable, Codable {
    /// Defined and running.
    case running
    /// Defined, not running.
    case stopped
    /// The database knows it; libvirt does not.
    case undefined
    /// libvirt was not reachable.
    case unknown
}

/// One guest: its leases (database) and its hostdev interfaces (libvirt).
public struct AuditInventoryGuest: Hashable, Sendable, Codable {
    /// A lease of this guest, with the VF it holds.
    public struct Lease: Hashable, Sendable, Codable, ExplicitNullEncoding {
        /// Network.
        public var network: String
        /// Slot.
        public var slot: Int
        /// Leased MAC.
        public var mac: MACAddress
        /// The assigned VF's id (`PF/INDEX`), `nil` when detached.
        public var vf: String?

        /// Creates a lease entry.
        public init(network: String, slot: Int, mac: MACAddress, vf: String?) {
            self.network = network
            self.slot = slot
            self.mac = mac
            self.vf = vf
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case network, slot, mac, vf }

        public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
    }

    /// A hostdev interface as libvirt defines it.
    public struct DefinedInterface: Hashable, Sendable, Codable, ExplicitNullEncoding {
        /// `<mac address=...>`.
        public var mac: MACAddress
        /// `<source><address .../></source>`, `nil` when absent.
        public var pciAddress: PCIAddress?

        /// Creates an interface entry.
        public init(mac: MACAddress, pciAddress: PCIAddress?) {
            self.mac = mac
            self.pciAddress = pciAddress
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case mac, pciAddress }

        public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
    }

    /// Guest name.
    public var name: String
    /// libvirt's view.
    public var state: AuditGuestState
    /// Leases in the database.
    public var leases: [Lease]
    /// Hostdev interfaces libvirt defines (empty when libvirt was not reachable).
    public var definedInterfaces: [DefinedInterface]

    /// Creates a guest entry.
    public init(name: String, state: AuditGuestState, leases: [Lease], definedInterfaces: [DefinedInterface]) {
        self.name = name
        self.state = state
        self.leases = leases
        self.definedInterfaces = definedInterfaces
    }

    /// Leases and defined interfaces side by side, one pair per table row (at least one row).
    public var rows: [(lease: Lease?, defined: DefinedInterface?)] {
        (0..<max(leases.count, definedInterfaces.count, 1)).map { row in
            (row < leases.count ? leases[row] : nil, row < definedInterfaces.count ? definedInterfaces[row] : nil)
        }
    }
}

/// One network and how it is used.
public struct AuditInventoryNetwork: Hashable, Sendable, Codable {
    /// Network name.
    public var name: String
    /// Leases on it.
    public var leases: Int
    /// Of those, leases holding a VF.
    public var assigned: Int
    /// Guests with a lease on it.
    public var guests: [String]

    /// Creates a network entry.
    public init(name: String, leases: Int, assigned: Int, guests: [String]) {
        self.name = name
        self.leases = leases
        self.assigned = assigned
        self.guests = guests
    }
}

/// One MAC and everywhere it was seen.
public struct AuditInventoryMAC: Hashable, Sendable, Codable {
    /// The MAC.
    public var mac: MACAddress
    /// Where: leases, VFs (live), host interfaces, guest definitions, the quarantine.
    public var locations: [AuditObject]

    /// Creates a MAC entry.
    public init(mac: MACAddress, locations: [AuditObject]) {
        self.mac = mac
        self.locations = locations
    }
}
