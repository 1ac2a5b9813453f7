/// Which IOMMU a host has (or would have once turned on), and the evidence.
///
/// The firmware's ACPI table is the best witness: `DMAR` is Intel VT-d, `IVRS` is AMD-Vi.
/// Without one, a virtual machine's IOMMU is its emulated chipset's (a QEMU q35 guest has
/// an Intel host bridge and gets `intel-iommu` whatever CPU it reports), so the host
/// bridge's PCI vendor decides; on bare metal the CPU vendor in `/proc/cpuinfo` decides.
public struct IOMMUPlatformGuess: Hashable, Sendable {
    /// The IOMMU kind.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Intel VT-d (`intel_iommu=on`).
        case intel
        /// AMD-Vi (`amd_iommu=on`).
        case amd
        /// IBM POWER: always on, nothing to add to the command line.
        case power
        /// Something else (Arm SMMU, unknown).
        case other
    }

    /// The IOMMU kind.
    public var kind: Kind
    /// How it was decided, for the "seen" line.
    public var evidence: String
    /// True when the host is a virtual machine (its IOMMU is the hypervisor's to give).
    public var virtualMachine: Bool

    /// Decides from a snapshot.
    public init(_ snapshot: ReadinessSnapshot) {
        let tables = snapshot.iommu.acpiTables ?? []
        let vm = snapshot.cpu.isVirtualMachine
        virtualMachine = vm
        if tables.contains("DMAR") {
            (kind, evidence) = (.intel, "the firmware's ACPI DMAR table (Intel VT-d)")
            return
        }
        if tables.contains("IVRS") {
            (kind, evidence) = (.amd, "the firmware's ACPI IVRS table (AMD-Vi)")
            return
        }
        if vm, let bridge = snapshot.iommu.hostBridgeVendor?.lowercased() {
            if bridge == "0x8086" {
                (kind, evidence) = (.intel, "virtual machine with an Intel host bridge (0000:00:00.0 vendor 0x8086)")
                return
            }
            if bridge == "0x1022" {
                (kind, evidence) = (.amd, "virtual machine with an AMD host bridge (0000:00:00.0 vendor 0x1022)")
                return
            }
        }
        switch snapshot.cpu.vendor {
        case .intel: (kind, evidence) = (.intel, "CPU vendor GenuineIntel")
        case .amd: (kind, evidence) = (.amd, "CPU vendor AuthenticAMD")
        case .power: (kind, evidence) = (.power, "POWER CPU (\(snapshot.cpu.model ?? "cpu: POWER"))")
        case .arm: (kind, evidence) = (.other, "Arm CPU")
        case .other(let name): (kind, evidence) = (.other, "CPU vendor \(name)")
        case .unknown: (kind, evidence) = (.other, "unknown CPU (\(snapshot.sources.host("proc/cpuinfo")) unreadable)")
        }
    }

    /// The kernel option that turns this IOMMU on (`intel_iommu=on`), `nil` when none is needed or known.
    public var enableArgument: String? {
        switch kind {
        case .intel: "intel_iommu=on"
        case .amd: "amd_iommu=on"
        case .power, .other: nil
        }
    }

    /// The kernel option key (`intel_iommu`), `nil` when none.
    public var optionKey: String? {
        switch kind {
        case .intel: "intel_iommu"
        case .amd: "amd_iommu"
        case .power, .other: nil
        }
    }

    /// The firmware's name for the feature.
    public var firmwareFeature: String {
        switch kind {
        case .intel: "VT-d (Intel Virtualization Technology for Directed I/O)"
        case .amd: "AMD-Vi (often labelled \"IOMMU\" in the firmware setup)"
        case .power: "the IOMMU"
        case .other: "the IOMMU (Arm: SMMU)"
        }
    }

    /// The ACPI table the firmware publishes when the feature is on.
    public var acpiTable: String? {
        switch kind {
        case .intel: "DMAR"
        case .amd: "IVRS"
        case .power, .other: nil
        }
    }
}
