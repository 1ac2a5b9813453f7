/// The outcome of one readiness check: the verdict, what was seen and where, why it
/// matters, and how to fix it.
public struct ReadinessCheck: Hashable, Sendable {
    /// Stable identifier (`iommu.enabled`, `vf.iommu-group`...), documented in docs/doctor.md.
    public var id: ReadinessCheckID
    /// Short human title ("IOMMU enabled").
    public var title: String
    /// The PF or VF the check is about; `nil` for host-wide checks.
    public var subject: ReadinessSubject?
    /// The verdict.
    public var status: ReadinessStatus
    /// What was seen, in words, naming the files.
    public var observed: String
    /// The files and directories read for this check (as read, under the given roots).
    public var sources: [String]
    /// Why this matters for passthrough.
    public var why: String
    /// How to fix it; always present for warn and fail, sometimes an optional tip on pass.
    public var fix: FixAdvice?
    /// For `vf.iommu-group`: every device in the VF's IOMMU group and what it means; else empty.
    public var groupMembers: [IOMMUGroupMember]
    /// For `vf.iommu-group`: the group number, `nil` when the VF has none or for other checks.
    public var iommuGroup: Int?

    /// Creates a check result.
    public init(id: ReadinessCheckID, title: String, subject: ReadinessSubject? = nil, status: ReadinessStatus,
                observed: String, sources: [String], why: String, fix: FixAdvice? = nil,
                groupMembers: [IOMMUGroupMember] = [], iommuGroup: Int? = nil) {
        self.id = id
        self.title = title
        self.subject = subject
        self.status = status
        self.observed = observed
        self.sources = sources
        self.why = why
        self.fix = fix
        self.groupMembers = groupMembers
        self.iommuGroup = iommuGroup
    }
}

/// The checks `sriovctl doctor` runs. The raw values are the documented JSON `id`s.
public enum ReadinessCheckID: String, Hashable, Sendable, Codable, CaseIterable {
    /// The IOMMU translates DMA (groups exist).
    case iommuEnabled = "iommu.enabled"
    /// `iommu=pt` on the kernel command line (advice only).
    case iommuPassthrough = "iommu.passthrough"
    /// Interrupt remapping is in use.
    case interruptRemapping = "interrupts.remapping"
    /// `vfio_iommu_type1 allow_unsafe_interrupts` is not set.
    case unsafeInterrupts = "interrupts.unsafe"
    /// The vfio-pci driver is loaded or loadable.
    case vfioPCI = "vfio.pci-driver"
    /// A PF's driver supports SR-IOV.
    case pfSRIOV = "pf.sriov"
    /// A PF's link is up.
    case pfLink = "pf.link"
    /// A VF's IOMMU group holds nothing but the VF (and bridges).
    case vfIOMMUGroup = "vf.iommu-group"

    /// The section a check is listed under in human output.
    public var area: ReadinessArea {
        switch self {
        case .iommuEnabled, .iommuPassthrough: .iommu
        case .interruptRemapping, .unsafeInterrupts: .interrupts
        case .vfioPCI: .vfio
        case .pfSRIOV, .pfLink: .pf
        case .vfIOMMUGroup: .vf
        }
    }
}

/// Where a check belongs; host-wide areas come first in output.
public enum ReadinessArea: String, Hashable, Sendable, Codable {
    /// DMA remapping.
    case iommu
    /// Interrupt remapping and its unsafe override.
    case interrupts
    /// The VFIO driver.
    case vfio
    /// One PF.
    case pf
    /// One VF.
    case vf
}

/// The PF (and VF) a check is about.
public struct ReadinessSubject: Hashable, Sendable {
    /// PF display name (netdev, else PCI address or sysfs name).
    public var pf: String
    /// PF PCI address, `nil` for non-PCI PFs.
    public var pfAddress: PCIAddress?
    /// VF index, `nil` for PF checks.
    public var vf: Int?
    /// VF PCI address.
    public var vfAddress: PCIAddress?

    /// Creates a subject.
    public init(pf: String, pfAddress: PCIAddress?, vf: Int? = nil, vfAddress: PCIAddress? = nil) {
        self.pf = pf
        self.pfAddress = pfAddress
        self.vf = vf
        self.vfAddress = vfAddress
    }
}

/// One device in a VF's IOMMU group, as `vf.iommu-group` judged it.
public struct IOMMUGroupMember: Hashable, Sendable {
    /// What the device is to the VF's passthrough.
    public enum Role: String, Hashable, Sendable, Codable {
        /// The VF itself.
        case vf = "self"
        /// A PCI bridge or root port (class 0x0604xx): not an endpoint, never blocks.
        case bridge
        /// The VF's own PF: it must stay on its host driver (detaching it destroys the VFs),
        /// so the VF cannot be passed through from this group at all.
        case ownPF = "own-pf"
        /// Another endpoint bound to a host driver: the guest will not start.
        case hostDriver = "host-driver"
        /// Another endpoint bound to vfio-pci or pci-stub: it must go to the same guest.
        case vfio
        /// Another endpoint with no driver: the group is shared.
        case unbound
    }

    /// The device's sysfs name (normally a PCI address).
    public var device: String
    /// PCI class code as sysfs shows it (`0x020000`), `nil` when unreadable.
    public var classCode: String?
    /// Bound driver, `nil` when none.
    public var driver: String?
    /// The judgement.
    public var role: Role

    /// True when this member stops the VF from being isolated.
    public var blocksIsolation: Bool {
        switch role {
        case .vf, .bridge: false
        case .ownPF, .hostDriver, .vfio, .unbound: true
        }
    }

    /// Creates a member.
    public init(device: String, classCode: String?, driver: String?, role: Role) {
        self.device = device
        self.classCode = classCode
        self.driver = driver
        self.role = role
    }
}
