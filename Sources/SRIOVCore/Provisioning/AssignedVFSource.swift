/// A VF that the state database says belongs to a guest, with what it must carry.
///
/// Provisioning restores these after a reboot (MAC, VLAN, trust, spoofchk, link state,
/// rates) and refuses to destroy them (changing `sriov_numvfs`) unless forced. The PF is
/// named stably: its PCI address (or the sysfs device name of a non-PCI PF such as
/// netdevsim) plus, when known, its permanent MAC; never its netdev name.
public struct AssignedVF: Hashable, Sendable, Codable {
    /// PF PCI address (`0000:3b:00.0`) or sysfs device name (`netdevsim10`).
    public var pfDevice: String
    /// The PF's permanent MAC when it was recorded; `nil` when the driver reports none.
    public var pfPermanentMAC: MACAddress?
    /// VF index on the PF.
    public var vfIndex: Int
    /// The guest holding it.
    public var guest: String
    /// What the VF must carry for the guest (the guest's MAC, VLAN and the rest).
    public var settings: VFSettings

    /// Creates an assigned VF.
    public init(pfDevice: String, pfPermanentMAC: MACAddress? = nil, vfIndex: Int, guest: String, settings: VFSettings) {
        self.pfDevice = pfDevice
        self.pfPermanentMAC = pfPermanentMAC
        self.vfIndex = vfIndex
        self.guest = guest
        self.settings = settings
    }

    /// True when this VF belongs to the PF known by `device` and `permanentMAC`: same device,
    /// and no conflicting permanent MAC (a side that does not know it does not contradict).
    public func belongs(toDevice device: String, permanentMAC: MACAddress?) -> Bool {
        guard pfDevice == device else { return false }
        guard let mine = pfPermanentMAC, let theirs = permanentMAC else { return true }
        return mine == theirs
    }
}

/// Where provisioning learns which VFs belong to guests: the state database.
///
/// The database adapter repairs assignments a crashed process left half done before
/// answering, and returns every VF that holds an assignment.
public protocol AssignedVFSource: Sendable {
    /// Every VF held by a guest.
    func assignedVFs() throws(SRIOVError) -> [AssignedVF]
}
