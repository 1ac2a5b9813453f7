/// What `sriovctl provision` will do: per PF steps and per `max_vfs` module the
/// modprobe.d file and reload. Made by ``ProvisionPlanner``, run by ``ProvisionRunner``.
public struct ProvisionPlan: Sendable {
    /// One entry per configured PF (in config order), then PFs that only carry guests' VFs.
    public var pfs: [PFPlan]
    /// `max_vfs` modules.
    public var modules: [ModuleOptionsPlan]
    /// sysfs discovery warnings.
    public var warnings: [String]

    /// Creates a plan.
    public init(pfs: [PFPlan] = [], modules: [ModuleOptionsPlan] = [], warnings: [String] = []) {
        self.pfs = pfs
        self.modules = modules
        self.warnings = warnings
    }

    /// True when nothing is to be changed and nothing is wrong.
    public var isNothingToDo: Bool {
        pfs.allSatisfy(\.isAsConfigured) && modules.allSatisfy { !$0.writeFile && !$0.reload && $0.refusal == nil }
    }
}

/// The plan for one PF.
public struct PFPlan: Sendable {
    /// `eth0 (0000:0b:00.0)`, or the selector when the PF was not found.
    public var name: String
    /// The config entry's selector, `nil` for a PF that is only restored (not in `pfs:`).
    public var selector: PFSelector?
    /// `file:line` of the config entry.
    public var source: String?
    /// PCI address or sysfs device name, `nil` when not found.
    public var device: String?
    /// Netdev used for netlink.
    public var netdev: String?
    /// The config entry (re-planning after VF creation needs it).
    public var config: PFConfig?
    /// The PF as sysfs showed it when planning (the writers need its paths).
    public var pf: PhysicalFunction?
    /// What to do, in order.
    public var steps: [ProvisionStep]
    /// Why nothing is done to this PF, when planning refused it.
    public var refusal: SRIOVError?
    /// Failures known in advance; the steps still run.
    public var problems: [SRIOVError]
    /// Things worth knowing that are not failures.
    public var notes: [String]

    /// Creates a PF plan.
    public init(name: String, selector: PFSelector? = nil, source: String? = nil, device: String? = nil,
                netdev: String? = nil, config: PFConfig? = nil, pf: PhysicalFunction? = nil, steps: [ProvisionStep] = [],
                refusal: SRIOVError? = nil, problems: [SRIOVError] = [], notes: [String] = []) {
        self.name = name
        self.selector = selector
        self.source = source
        self.device = device
        self.netdev = netdev
        self.config = config
        self.pf = pf
        self.steps = steps
        self.refusal = refusal
        self.problems = problems
        self.notes = notes
    }

    /// True when nothing is to be done and nothing is wrong (a pending reload is not "done").
    public var isAsConfigured: Bool { steps.isEmpty && refusal == nil && problems.isEmpty }
}

/// The modprobe.d options of one `max_vfs` driver, which cover every port it drives.
public struct ModuleOptionsPlan: Sendable {
    /// The module and its file.
    public var module: ObservedModule
    /// Every PCI port of the driver in PCI address order, with its value.
    public var ports: [ModulePort]
    /// The file content wanted, `nil` when refused.
    public var contents: String?
    /// True when the file must be (re)written.
    public var writeFile: Bool
    /// True when this run reloads the module.
    public var reload: Bool
    /// Why nothing is done for this module.
    public var refusal: SRIOVError?
    /// Why the module is not reloaded although asked to (a VF of it is assigned).
    public var reloadRefusal: SRIOVError?
    /// Notes.
    public var notes: [String]

    /// Creates a module plan.
    public init(module: ObservedModule, ports: [ModulePort], contents: String?, writeFile: Bool, reload: Bool,
                refusal: SRIOVError? = nil, reloadRefusal: SRIOVError? = nil, notes: [String] = []) {
        self.module = module
        self.ports = ports
        self.contents = contents
        self.writeFile = writeFile
        self.reload = reload
        self.refusal = refusal
        self.reloadRefusal = reloadRefusal
        self.notes = notes
    }
}

/// One port of a `max_vfs` driver.
public struct ModulePort: Hashable, Sendable, Codable {
    /// PCI address.
    public var pciAddress: PCIAddress
    /// `max_vfs` value for it.
    public var vfs: Int
    /// VFs it has now.
    public var current: Int?
    /// Where the value comes from: the config entry's `file:line`, `nil` when the port is
    /// not in the config (its current count is kept).
    public var source: String?

    /// Creates a port.
    public init(pciAddress: PCIAddress, vfs: Int, current: Int?, source: String?) {
        self.pciAddress = pciAddress
        self.vfs = vfs
        self.current = current
        self.source = source
    }
}
