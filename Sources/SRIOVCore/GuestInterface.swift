/// The libvirt/Xen view of a guest's VF port: what `attach` prints and libvirt receives.
///
/// Rendered by ``LibvirtInterfaceXML`` (`<interface type='hostdev' managed='yes'>`) and
/// ``XenPCIConfig`` (`pci = [ '0000:0b:10.0' ]`).
public struct GuestInterface: Hashable, Sendable, Codable {
    /// The guest's MAC (from its lease).
    public var mac: MACAddress
    /// The VF's PCI address; `nil` for non-PCI VFs (netdevsim), which cannot be passed through.
    public var vfPCIAddress: PCIAddress?
    /// Port VLAN for `<vlan><tag id=…/></vlan>`; `nil` for none. Never together with ``virtualPort``.
    public var vlan: PortVLAN?
    /// `<virtualport type='802.1Qbh'>` parameters; `nil` for none.
    public var virtualPort: VirtualPort?

    /// Creates an interface description.
    public init(mac: MACAddress, vfPCIAddress: PCIAddress?, vlan: PortVLAN? = nil, virtualPort: VirtualPort? = nil) {
        self.mac = mac
        self.vfPCIAddress = vfPCIAddress
        self.vlan = vlan
        self.virtualPort = virtualPort
    }
}

/// An 802.1Qbh virtual port profile (the only `<virtualport>` type libvirt accepts on hostdev interfaces).
public struct VirtualPort: Hashable, Sendable, Codable {
    /// The port profile id (`profileid`).
    public var profileID: String

    /// Creates a virtual port.
    public init(profileID: String) { self.profileID = profileID }
}

/// One guest as libvirt defines it, with its hostdev interfaces (for audit and detach).
public struct GuestDefinition: Hashable, Sendable, Codable {
    /// libvirt domain name.
    public var name: String
    /// libvirt domain UUID.
    public var uuid: String
    /// True when the domain is running.
    public var isActive: Bool
    /// Its `<interface type='hostdev'>` entries (MAC and PCI source as defined): the persistent
    /// definition (what `--config` changes); for a transient guest, its running definition.
    public var hostdevInterfaces: [GuestInterface]
    /// The running guest's `<interface type='hostdev'>` entries (what `--live` changes);
    /// `nil` when the guest is not running. May differ from ``hostdevInterfaces`` when a
    /// change went only to one of them.
    public var liveHostdevInterfaces: [GuestInterface]?
    /// Where the guest is pinned (`<numatune>`, `<vcpu cpuset>`, `<vcpupin>`): the running
    /// definition of a running guest, else the persistent one; `nil` when it pins nothing.
    public var numa: GuestNUMATuning?
    /// The MACs of its other `<interface>` devices (virtio, bridge, network: the persistent
    /// halves of failover pairs), from its persistent definition.
    public var otherInterfaceMACs: [MACAddress] = []

    /// Creates a guest record.
    public init(name: String, uuid: String, isActive: Bool, hostdevInterfaces: [GuestInterface],
                liveHostdevInterfaces: [GuestInterface]? = nil, numa: GuestNUMATuning? = nil) {
        self.name = name
        self.uuid = uuid
        self.isActive = isActive
        self.hostdevInterfaces = hostdevInterfaces
        self.liveHostdevInterfaces = liveHostdevInterfaces
        self.numa = numa
    }
}

/// Where a device change goes in libvirt.
public struct DomainChangeScope: OptionSet, Hashable, Sendable, Codable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The running guest (`--live`, VIR_DOMAIN_AFFECT_LIVE).
    public static let live = DomainChangeScope(rawValue: 1)
    /// The persistent definition (`--config`, VIR_DOMAIN_AFFECT_CONFIG).
    public static let config = DomainChangeScope(rawValue: 2)
}
