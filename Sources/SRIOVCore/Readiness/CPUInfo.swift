/// The CPU as `/proc/cpuinfo` describes it: enough to pick the IOMMU kernel option.
public struct CPUInfo: Hashable, Sendable {
    /// Who made it.
    public var vendor: CPUVendor
    /// `model name` (x86) or `cpu` (POWER) of the first processor, `nil` when absent.
    public var model: String?
    /// True when the `hypervisor` CPU flag is set: this host is itself a virtual machine.
    public var isVirtualMachine: Bool

    /// Creates CPU facts.
    public init(vendor: CPUVendor, model: String? = nil, isVirtualMachine: Bool = false) {
        self.vendor = vendor
        self.model = model
        self.isVirtualMachine = isVirtualMachine
    }

    /// Parses `/proc/cpuinfo` text. Reads the first processor's fields only.
    ///
    /// `vendor_id: GenuineIntel` → Intel; `AuthenticAMD` and `HygonGenuine` → AMD (both
    /// use AMD-Vi); a `cpu` field starting with `POWER` → POWER; `CPU implementer` → Arm.
    public init(parsing text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }), !fields.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].hostFileTrimmed()
            let value = line[line.index(after: colon)...].hostFileTrimmed()
            if fields[key] == nil { fields[key] = value }
        }
        let vendor: CPUVendor
        switch fields["vendor_id"] {
        case "GenuineIntel": vendor = .intel
        case "AuthenticAMD", "HygonGenuine": vendor = .amd
        case let other?: vendor = .other(other)
        case nil:
            if let cpu = fields["cpu"], cpu.uppercased().hasPrefix("POWER") {
                vendor = .power
            } else if fields["CPU implementer"] != nil {
                vendor = .arm
            } else {
                vendor = .unknown
            }
        }
        let flags = (fields["flags"] ?? "").split(separator: " ")
        self.init(vendor: vendor, model: fields["model name"] ?? fields["cpu"],
                  isVirtualMachine: flags.contains("hypervisor"))
    }
}

/// CPU makers that matter for IOMMU setup.
public enum CPUVendor: Hashable, Sendable {
    /// Intel: VT-d, `intel_iommu=on`.
    case intel
    /// AMD (and Hygon): AMD-Vi, `amd_iommu=on`.
    case amd
    /// IBM POWER: the IOMMU is always on, no kernel option.
    case power
    /// Arm: SMMU, no kernel option in general.
    case arm
    /// Another x86 vendor string.
    case other(String)
    /// `/proc/cpuinfo` missing or not understood.
    case unknown

    /// The short name used in JSON and text (`intel`, `amd`, `power`, `arm`, `other`, `unknown`).
    public var name: String {
        switch self {
        case .intel: "intel"
        case .amd: "amd"
        case .power: "power"
        case .arm: "arm"
        case .other: "other"
        case .unknown: "unknown"
        }
    }

    /// True for x86 vendors.
    public var isX86: Bool {
        switch self {
        case .intel, .amd, .other: true
        case .power, .arm, .unknown: false
        }
    }
}
