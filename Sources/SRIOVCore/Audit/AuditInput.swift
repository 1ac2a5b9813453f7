/// Everything `sriovctl audit` compares, read once from the three sources into plain values:
/// the state database (leases, assignments, quarantined MACs), the kernel (each PF's VFs over
/// netlink, host interface MACs from sysfs) and libvirt (guest definitions).
///
/// The audit rules only read this snapshot; they never touch the host. Collecting it is the
/// command's job (see `AuditCommand`), so tests build snapshots by hand.
public struct AuditInput: Hashable, Sendable {
    /// The host's name, as it appears in reports and in fleet merges.
    public var hostName: String
    /// The database's leases (kept after detach).
    public var leases: [LeaseRecord]
    /// The database's assignments: which lease holds which VF, with the settings applied.
    public var assignments: [AuditAssignment]
    /// MACs of dropped leases, never handed out again (a departed guest's MAC).
    public var quarantine: [QuarantinedMAC]
    /// The MAC pool leases should come from; `nil` when unknown (the pool rule is then skipped).
    public var macPool: MACPool?
    /// The PFs seen on the host, with their VFs.
    public var pfs: [AuditPF]
    /// Host network interfaces and their MACs (`/sys/class/net/*/address`).
    public var hostInterfaces: [AuditHostInterface]
    /// Guests as libvirt defines them; `nil` when libvirt was not reachable (those rules are skipped).
    public var guests: [GuestDefinition]?
    /// The UUID the database recorded for each guest name (guests whose UUID is known). A
    /// guest renamed in libvirt keeps its UUID, so the audit still finds it under its new
    /// name instead of calling its leases orphans.
    public var guestUUIDs: [String: String]
    /// The libvirt URI the guests came from (used in suggested `virsh -c` commands).
    public var libvirtURI: String?
    /// Sentences for the operator about what could not be read (e.g. "libvirt: skipped, ...").
    public var notices: [String]
    /// The config's networks, for their VF ranges; empty when unknown (that rule is then skipped).
    public var networks: [NetworkDefinition] = []

    /// Creates a snapshot.
    public init(hostName: String, leases: [LeaseRecord] = [], assignments: [AuditAssignment] = [],
                quarantine: [QuarantinedMAC] = [], macPool: MACPool? = nil, pfs: [AuditPF] = [],
                hostInterfaces: [AuditHostInterface] = [], guests: [GuestDefinition]? = nil,
                guestUUIDs: [String: String] = [:], libvirtURI: String? = nil, notices: [String] = []) {
        self.hostName = hostName
        self.leases = leases
        self.assignments = assignments
        self.quarantine = quarantine
        self.macPool = macPool
        self.pfs = pfs
        self.hostInterfaces = hostInterfaces
        self.guests = guests
        self.guestUUIDs = guestUUIDs
        self.libvirtURI = libvirtURI
        self.notices = notices
    }
}

extension LeaseKey {
    /// `guest/network/slot`: the id of a lease or assignment in audit reports.
    public var auditID: String { "\(guest)/\(network)/\(slot)" }
}

/// Identifies a VF: its PF's name (netdev) and its index on that PF.
public struct AuditVFID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// PF name (its netdev).
    public var pf: String
    /// VF index on the PF.
    public var index: Int

    /// Creates an id.
    public init(pf: String, index: Int) {
        self.pf = pf
        self.index = index
    }

    /// `eth0 VF 3`.
    public var description: String { "\(pf) VF \(index)" }

    /// `eth0/3`, the id of the VF in reports.
    public var objectID: String { "\(pf)/\(index)" }

    /// `eth0:3`, the form `audit --fix --vf` takes.
    public var argument: String { "\(pf):\(index)" }

    /// Parses `PF:INDEX` (the `--vf` argument); `nil` for anything else.
    public init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let index = Int(argument[argument.index(after: colon)...]),
              index >= 0, colon != argument.startIndex else { return nil }
        self.init(pf: String(argument[..<colon]), index: index)
    }

    public static func < (lhs: AuditVFID, rhs: AuditVFID) -> Bool { (lhs.pf, lhs.index) < (rhs.pf, rhs.index) }
}

/// An assignment from the database: a lease holding a VF, with the settings sriovctl applied.
public struct AuditAssignment: Hashable, Sendable {
    /// The lease that holds the VF.
    public var lease: LeaseKey
    /// The PF as the database names it (its netdev).
    public var pf: String
    /// The PF's PCI address when recorded (preferred for matching: names change across boots).
    public var pfPCIAddress: PCIAddress?
    /// VF index on the PF.
    public var vfIndex: Int
    /// The VF's PCI address when recorded (`nil` for non-PCI VFs).
    public var vfPCIAddress: PCIAddress?
    /// The settings applied to the VF at attach; `nil` fields are not managed by sriovctl.
    public var settings: VFSettings
    /// True while an attach or detach is in progress (or was interrupted): the VF may not be
    /// programmed yet, so it is not checked for drift or repaired, but it is not free either.
    public var inProgress: Bool

    /// Creates an assignment.
    public init(lease: LeaseKey, pf: String, pfPCIAddress: PCIAddress? = nil, vfIndex: Int,
                vfPCIAddress: PCIAddress? = nil, settings: VFSettings, inProgress: Bool = false) {
        self.lease = lease
        self.pf = pf
        self.pfPCIAddress = pfPCIAddress
        self.vfIndex = vfIndex
        self.vfPCIAddress = vfPCIAddress
        self.settings = settings
        self.inProgress = inProgress
    }
}

/// A PF as observed on the host: sysfs identity plus what netlink reported.
public struct AuditPF: Hashable, Sendable {
    /// Netdev name.
    public var name: String
    /// PCI address, `nil` for non-PCI PFs (netdevsim).
    public var pciAddress: PCIAddress?
    /// Operational state from netlink (`up`, `down`...), `nil` when unknown.
    public var operState: String?
    /// Every VF by index.
    public var vfs: [AuditVF]
    /// Why live VF settings could not be read (netlink failed); `nil` when they were read.
    /// With an error, rules that need live settings skip this PF's VFs.
    public var readError: String?
    /// NUMA node from sysfs, `nil` when unknown (-1).
    public var numaNode: Int? = nil

    /// Creates a PF record.
    public init(name: String, pciAddress: PCIAddress? = nil, operState: String? = nil, vfs: [AuditVF],
                readError: String? = nil) {
        self.name = name
        self.pciAddress = pciAddress
        self.operState = operState
        self.vfs = vfs
        self.readError = readError
    }
}

/// A VF as observed: identity from sysfs, live settings from netlink.
public struct AuditVF: Hashable, Sendable {
    /// VF index on its PF.
    public var index: Int
    /// PCI address, `nil` for non-PCI VFs.
    public var pciAddress: PCIAddress?
    /// What the kernel reports; `nil` when it could not be read.
    public var live: VFState?

    /// Creates a VF record.
    public init(index: Int, pciAddress: PCIAddress? = nil, live: VFState?) {
        self.index = index
        self.pciAddress = pciAddress
        self.live = live
    }
}

/// A host network interface and its MAC.
public struct AuditHostInterface: Hashable, Sendable {
    /// Interface name (`eth0`, `br0`).
    public var name: String
    /// Its current MAC.
    public var mac: MACAddress
    /// Set when the interface is a VF's own netdev or is stacked on one (a VLAN or macvlan
    /// on a VF netdev): it legitimately shares that VF's MAC.
    public var vf: AuditVFID?

    /// Creates a host interface record.
    public init(name: String, mac: MACAddress, vf: AuditVFID? = nil) {
        self.name = name
        self.mac = mac
        self.vf = vf
    }
}
