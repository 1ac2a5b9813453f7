/// The host's NUMA nodes and their CPUs (`/sys/devices/system/node/node*/cpulist`), to map a
/// guest's pinned CPUs to nodes.
public struct NUMATopology: Hashable, Sendable {
    /// The CPUs of each node.
    public var cpusByNode: [Int: Set<Int>]

    /// Creates a topology.
    public init(cpusByNode: [Int: Set<Int>] = [:]) { self.cpusByNode = cpusByNode }

    /// The nodes holding any of `cpus`; CPUs no node lists are ignored.
    public func nodes(ofCPUs cpus: Set<Int>) -> Set<Int> {
        Set(cpusByNode.filter { !$0.value.isDisjoint(with: cpus) }.keys)
    }
}

/// Reads the host's NUMA topology. Implemented by SRIOVLinux over sysfs.
public protocol NUMATopologyReading: Sendable {
    /// The nodes and their CPUs; empty when the host shows none (no NUMA support).
    func numaTopology() -> NUMATopology
}

/// What a libvirt domain says about where the guest runs: `<numatune><memory nodeset>`,
/// `<vcpu cpuset>` and each `<cputune><vcpupin cpuset>`, as written (read by SRIOVLibvirt's
/// domain XML reader).
public struct GuestNUMATuning: Hashable, Sendable, Codable {
    /// `<numatune><memory nodeset='1'>`.
    public var memoryNodeset: String?
    /// `<vcpu cpuset='4-7'>`.
    public var vcpuCPUSet: String?
    /// Every `<cputune><vcpupin cpuset='…'>`.
    public var vcpuPins: [String]

    /// Creates a tuning.
    public init(memoryNodeset: String? = nil, vcpuCPUSet: String? = nil, vcpuPins: [String] = []) {
        self.memoryNodeset = memoryNodeset
        self.vcpuCPUSet = vcpuCPUSet
        self.vcpuPins = vcpuPins
    }

    /// True when the domain pins nothing.
    public var isEmpty: Bool { memoryNodeset == nil && vcpuCPUSet == nil && vcpuPins.isEmpty }

    /// The guest's nodes and where they came from: the memory nodeset first (where its memory,
    /// and so its DMA, lives), else the nodes of its `vcpupin` CPUs, else of its `<vcpu cpuset>`.
    /// `nil` when the domain pins nothing or names nothing this host has.
    public func nodes(topology: NUMATopology) -> (nodes: Set<Int>, source: String)? {
        if let memoryNodeset, let nodes = CPUList.parse(memoryNodeset), !nodes.isEmpty {
            return (nodes, "libvirt <numatune> memory nodeset \(memoryNodeset)")
        }
        let pinned = vcpuPins.compactMap(CPUList.parse).reduce(into: Set<Int>()) { $0.formUnion($1) }
        if !pinned.isEmpty {
            let nodes = topology.nodes(ofCPUs: pinned)
            if !nodes.isEmpty { return (nodes, "libvirt <vcpupin> CPUs \(CPUListText.text(pinned))") }
        }
        if let vcpuCPUSet, let cpus = CPUList.parse(vcpuCPUSet), !cpus.isEmpty {
            let nodes = topology.nodes(ofCPUs: cpus)
            if !nodes.isEmpty { return (nodes, "libvirt <vcpu cpuset> \(vcpuCPUSet)") }
        }
        return nil
    }

    /// The memory node(s) alone (what audit compares a VF with); `nil` when not pinned.
    public var memoryNodes: Set<Int>? {
        memoryNodeset.flatMap(CPUList.parse).flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Writes a set of numbers as a list: `0-3,8`.
public enum CPUListText {
    /// `0-3,8` for [0, 1, 2, 3, 8].
    public static func text(_ numbers: Set<Int>) -> String {
        VFIndexRanges.text(Array(numbers)).split(separator: " ").joined()
    }
}
