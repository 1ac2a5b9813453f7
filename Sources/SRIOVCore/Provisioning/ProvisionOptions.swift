/// How `sriovctl provision` may act.
public struct ProvisionOptions: Hashable, Sendable {
    /// Change `sriov_numvfs` even when that destroys VFs assigned to guests.
    public var force: Bool
    /// Reload `max_vfs` drivers (`modprobe -r` / `modprobe`) when their VF count must change
    /// and no VF of that driver is assigned.
    public var reloadDriver: Bool
    /// Only restore the settings of this guest's VFs (the libvirt hook's mode): no VF
    /// creation, no driver binding, no defaults on other VFs.
    public var guest: String?
    /// How long to wait for new VFs (virtfn links, VF netdevs) to appear.
    public var vfWaitTimeout: Duration
    /// Repair what a crashed attach or detach left before planning (a full run). Off when
    /// the state comes from a fleet host's cache, which cannot record a repair.
    public var repairInterrupted = true

    /// Creates options.
    public init(force: Bool = false, reloadDriver: Bool = false, guest: String? = nil,
                vfWaitTimeout: Duration = .seconds(10)) {
        self.force = force
        self.reloadDriver = reloadDriver
        self.guest = guest
        self.vfWaitTimeout = vfWaitTimeout
    }
}
