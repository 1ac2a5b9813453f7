/// One thing provisioning does to one PF, in the order it is done.
public enum ProvisionStep: Hashable, Sendable {
    /// Write `sriov_drivers_autoprobe` (before VFs are created).
    case driversAutoprobe(from: Bool?, to: Bool)
    /// Change `sriov_numvfs`: 0 first when VFs exist, then the new count; wait for the VFs.
    /// `destroyed` lists assigned VFs destroyed under `--force`.
    case numVFs(from: Int?, to: Int, destroyed: [AssignedVF])
    /// A `max_vfs` PF whose VF count changes only when its module is loaded again.
    /// `reloading` says this run reloads it (`--reload-driver`); otherwise it waits for
    /// a reload or reboot.
    case moduleReload(module: String, from: Int?, to: Int, reloading: Bool)
    /// Bind VFs to vfio-pci.
    case bindVFIO(VFIOBindingSet)
    /// Program VF settings over netlink, in one request for the PF where possible.
    case programVFs(VFProgrammingSet)

    /// The step's kind, as it appears in JSON (`action`).
    public var action: String {
        switch self {
        case .driversAutoprobe: "drivers_autoprobe"
        case .numVFs: "num_vfs"
        case .moduleReload: "module_reload"
        case .bindVFIO: "bind_vfio"
        case .programVFs: "program_vfs"
        }
    }

    /// True for steps whose effect depends on the VFs as they are after creation.
    public var dependsOnVFs: Bool {
        switch self {
        case .bindVFIO, .programVFs: true
        default: false
        }
    }

    /// True when the step waits for something outside this run (a reload or reboot).
    public var isPending: Bool {
        if case .moduleReload(_, _, _, let reloading) = self { return !reloading }
        return false
    }

    /// One line for people: `sriov_numvfs 0 → 8`, `program VFs 0-7: spoofchk on`.
    public var summary: String {
        switch self {
        case .driversAutoprobe(let from, let to):
            return "sriov_drivers_autoprobe \(from.map { $0 ? "1" : "0" } ?? "(unread)") → \(to ? "1" : "0")"
        case .numVFs(let from, let to, let destroyed):
            let current = from.map(String.init) ?? "(unread)"
            var text = "sriov_numvfs \(current) → \(to)"
            if let from, from > 0, to > 0 { text += " (write 0, then \(to))" }
            if !destroyed.isEmpty {
                text += "; --force: destroys " + destroyed.map { "VF \($0.vfIndex) of \($0.guest)" }.joined(separator: ", ")
            }
            return text
        case .moduleReload(let module, let from, let to, let reloading):
            let change = "\(from.map(String.init) ?? "(unread)") → \(to) VFs"
            return reloading ? "reload module \(module) (\(change))"
                : "\(change) needs a reload of module \(module) or a reboot (--reload-driver does it)"
        case .bindVFIO(let set):
            if let count = set.afterCreation {
                return "bind \(VFIndexRanges.label(Array(0..<count))) to vfio-pci (after creation)"
            }
            let byDriver = Dictionary(grouping: set.vfs) { $0.currentDriver ?? "no driver" }
            let from = byDriver.keys.sorted().map { "\(VFIndexRanges.label(byDriver[$0]!.map(\.index))) from \($0)" }
            return "bind to vfio-pci: " + from.joined(separator: "; ")
        case .programVFs(let set):
            return "program \(set.vfs.count) VF\(set.vfs.count == 1 ? "" : "s") over netlink"
                + (set.liveStateKnown ? "" : " (live state unknown: full settings)")
        }
    }

    /// Detail lines under the summary (VF programming grouped by identical settings).
    public var details: [String] {
        guard case .programVFs(let set) = self else { return [] }
        var groups: [(settings: VFSettings, guest: String?, indexes: [Int])] = []
        for vf in set.vfs.sorted(by: { $0.index < $1.index }) {
            if vf.guest == nil, let i = groups.firstIndex(where: { $0.guest == nil && $0.settings == vf.settings }) {
                groups[i].indexes.append(vf.index)
            } else {
                groups.append((vf.settings, vf.guest, [vf.index]))
            }
        }
        return groups.map { group in
            "\(VFIndexRanges.label(group.indexes))\(group.guest.map { " (\($0))" } ?? ""): "
                + VFSettingsText.describe(group.settings)
        }
    }
}

/// VFs to bind to vfio-pci.
public struct VFIOBindingSet: Hashable, Sendable, Codable {
    /// VFs that exist now and are not on vfio-pci yet.
    public var vfs: [VFIOBinding]
    /// When the VFs are created in this run: how many, bound once they exist (after the
    /// IOMMU group check); `nil` otherwise.
    public var afterCreation: Int?

    /// Creates a set.
    public init(vfs: [VFIOBinding] = [], afterCreation: Int? = nil) {
        self.vfs = vfs
        self.afterCreation = afterCreation
    }
}

/// One VF to bind to vfio-pci.
public struct VFIOBinding: Hashable, Sendable, Codable {
    /// VF index.
    public var index: Int
    /// VF PCI address.
    public var pciAddress: PCIAddress
    /// Driver it is bound to now, `nil` when unbound.
    public var currentDriver: String?

    /// Creates a binding.
    public init(index: Int, pciAddress: PCIAddress, currentDriver: String?) {
        self.index = index
        self.pciAddress = pciAddress
        self.currentDriver = currentDriver
    }
}

/// VF settings to send for one PF.
public struct VFProgrammingSet: Hashable, Sendable, Codable {
    /// Per VF, only what differs from the live state (everything when it is unknown).
    public var vfs: [VFProgramming]
    /// False when the live state could not be read (or the VFs are new): full settings are sent.
    public var liveStateKnown: Bool

    /// Creates a set.
    public init(vfs: [VFProgramming], liveStateKnown: Bool) {
        self.vfs = vfs
        self.liveStateKnown = liveStateKnown
    }
}

/// Settings for one VF.
public struct VFProgramming: Hashable, Sendable, Codable {
    /// VF index.
    public var index: Int
    /// The guest it belongs to, `nil` for a VF that only gets the config's settings.
    public var guest: String?
    /// What is sent.
    public var settings: VFSettings

    /// Creates an entry.
    public init(index: Int, guest: String? = nil, settings: VFSettings) {
        self.index = index
        self.guest = guest
        self.settings = settings
    }
}
