/// A PF the state database knows: its stable identity and how it was last seen.
public struct PFRecord: Hashable, Sendable, Codable {
    /// Stable identity (PCI address or sysfs device name, plus permanent MAC).
    public var id: PFStableID
    /// PCI or netdevsim.
    public var kind: PFKind
    /// PCI address, `nil` for non-PCI PFs.
    public var pciAddress: PCIAddress?
    /// The netdev name when last seen; informational only (names change across boots).
    public var netdev: String?

    /// Creates a record.
    public init(id: PFStableID, kind: PFKind, pciAddress: PCIAddress? = nil, netdev: String? = nil) {
        self.id = id
        self.kind = kind
        self.pciAddress = pciAddress
        self.netdev = netdev
    }

    /// A record for a discovered PF.
    public init(pf: PhysicalFunction, status: PFLinkStatus?) {
        self.init(id: PFStableID(pf: pf, status: status), kind: pf.kind, pciAddress: pf.pciAddress,
                  netdev: status?.name ?? pf.netdev)
    }

    /// The netdev if known, else the stable device name: for messages.
    public var displayName: String { netdev ?? id.device }
}
