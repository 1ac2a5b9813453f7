/// Where an assignment is in its life.
///
/// `intent` is written before the VF is programmed and `applied` after; `releasing` is
/// written before a detach restores the VF. A row left in `intent` or `releasing` by a
/// process that is no longer running is repaired by ``IntentRepair``.
public enum AssignmentState: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Chosen and recorded; the VF may or may not be programmed yet.
    case intent
    /// Programmed and in use by the lease.
    case applied
    /// Being detached; the VF may or may not be restored yet.
    case releasing

    public var description: String { rawValue }
}

/// A lease bound to a VF: which VF, what it was before, what it should be.
public struct AssignmentRecord: Hashable, Sendable, Codable {
    /// The lease (guest, network, slot); one assignment per lease.
    public var lease: LeaseKey
    /// The VF; one assignment per VF.
    public var vf: VFKey
    /// The VF's PCI address when assigned (`nil` for non-PCI VFs).
    public var vfPCIAddress: PCIAddress?
    /// Life-cycle state.
    public var state: AssignmentState
    /// The VF's settings before sriovctl touched it; `nil` when netlink did not report the VF.
    public var savedState: VFState?
    /// What the VF is programmed to (MAC, VLAN, trust, spoofchk, link state, rates).
    public var desired: VFSettings
    /// The interface as handed to libvirt/Xen.
    public var interface: GuestInterface
    /// The process working on the row while it is `intent` or `releasing`; `nil` when `applied`.
    public var owner: OperationOwner?
    /// True when the lease was created together with this assignment (a rollback drops it too).
    public var leaseCreated: Bool
    /// True when the release should also drop the lease (`detach --forget`).
    public var forgetOnRelease: Bool
    /// When the row was created (UTC, ISO 8601; set by the store).
    public var createdAt: String?
    /// When the row last changed (UTC, ISO 8601; set by the store).
    public var updatedAt: String?

    /// Creates an assignment.
    public init(lease: LeaseKey, vf: VFKey, vfPCIAddress: PCIAddress?, state: AssignmentState,
                savedState: VFState?, desired: VFSettings, interface: GuestInterface, owner: OperationOwner?,
                leaseCreated: Bool = false, forgetOnRelease: Bool = false, createdAt: String? = nil,
                updatedAt: String? = nil) {
        self.lease = lease
        self.vf = vf
        self.vfPCIAddress = vfPCIAddress
        self.state = state
        self.savedState = savedState
        self.desired = desired
        self.interface = interface
        self.owner = owner
        self.leaseCreated = leaseCreated
        self.forgetOnRelease = forgetOnRelease
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
