/// sysfs reads and writes on SR-IOV devices: VF count, driver binding, IOMMU groups.
public protocol SRIOVDeviceControlling: Sendable {
    /// Writes `sriov_drivers_autoprobe` (whether host drivers bind VFs created later).
    func setDriversAutoprobe(_ enabled: Bool, on pf: PhysicalFunction) throws(SRIOVError)

    /// Writes one value to `sriov_numvfs`. The caller writes 0 first when VFs exist.
    /// Throws with the kernel's reason (EBUSY, ERANGE, ENOENT for drivers without
    /// sysfs SR-IOV support) in the message.
    func writeNumVFs(_ count: Int, on pf: PhysicalFunction) throws(SRIOVError)

    /// Reads `sriov_numvfs` back (a driver may enable fewer VFs than asked).
    func readNumVFs(of pf: PhysicalFunction) throws(SRIOVError) -> Int

    /// Waits until `count` VFs have appeared: every `virtfnN` link and every VF netdev a
    /// bound network driver will make (PCI PFs), or the count alone (netdevsim). Throws,
    /// naming what is missing, after `timeout`.
    func waitForVFs(_ count: Int, of pf: PhysicalFunction, timeout: Duration) throws(SRIOVError)

    /// Moves a VF to `vfio-pci`: `driver_override`, unbind from its current driver,
    /// `drivers_probe`; then checks the `driver` link.
    func bindVFIO(_ vf: PCIAddress) throws(SRIOVError)

    /// The sysfs `address` and `addr_assign_type` of a netdev, `nil` when missing.
    func hardwareAddress(ofNetdev netdev: String) -> NetdevHardwareAddress?

    /// Every device in IOMMU group `group`, with its driver and PCI class.
    func iommuGroupMembers(_ group: Int) -> [IOMMUGroupPeer]
}
