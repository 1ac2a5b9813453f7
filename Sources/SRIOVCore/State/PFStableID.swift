/// How the state database names a PF across reboots and netdev renames.
///
/// `device` is the PF's PCI address (`0000:3b:00.0`) or, for non-PCI PFs such as
/// netdevsim, its sysfs device name (`netdevsim10`). `permanentMAC` is the burned-in MAC
/// (`IFLA_PERM_ADDRESS`) when the driver reports one; it tells a replaced card in the same
/// slot from the card that was there before. The netdev name is never part of the identity.
public struct PFStableID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// PCI address, or the sysfs device name of a non-PCI PF.
    public var device: String
    /// Permanent MAC, `nil` when the driver reports none (netdevsim).
    public var permanentMAC: MACAddress?

    /// Creates an identity.
    public init(device: String, permanentMAC: MACAddress? = nil) {
        self.device = device
        self.permanentMAC = permanentMAC
    }

    /// The identity of a discovered PF, with the permanent MAC from its netlink status when known.
    public init(pf: PhysicalFunction, status: PFLinkStatus?) {
        self.init(device: pf.pciAddress?.description ?? pf.sysfsDevice, permanentMAC: status?.permanentMAC)
    }

    /// True when `other` names the same PF: same device and no conflicting permanent MAC
    /// (a side that does not know the permanent MAC does not contradict the other).
    public func matches(_ other: PFStableID) -> Bool {
        guard device == other.device else { return false }
        guard let mine = permanentMAC, let theirs = other.permanentMAC else { return true }
        return mine == theirs
    }

    /// `0000:3b:00.0` or `0000:3b:00.0 (perm 3c:fd:fe:00:00:01)`.
    public var description: String {
        permanentMAC.map { "\(device) (perm \($0))" } ?? device
    }

    public static func < (lhs: PFStableID, rhs: PFStableID) -> Bool {
        (lhs.device, lhs.permanentMAC?.integer ?? 0) < (rhs.device, rhs.permanentMAC?.integer ?? 0)
    }
}

/// One VF, named stably: its PF's identity and its index on that PF.
public struct VFKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// The PF.
    public var pf: PFStableID
    /// The VF index on the PF.
    public var index: Int

    /// Creates a key.
    public init(pf: PFStableID, index: Int) {
        self.pf = pf
        self.index = index
    }

    /// `0000:3b:00.0 VF 3`.
    public var description: String { "\(pf.device) VF \(index)" }

    public static func < (lhs: VFKey, rhs: VFKey) -> Bool { (lhs.pf, lhs.index) < (rhs.pf, rhs.index) }
}
