public import SRIOVCore

/// ``NUMATopologyReading`` over sysfs: `devices/system/node/nodeN/cpulist` for each node.
public struct SysfsNUMATopology: NUMATopologyReading {
    /// The tree read.
    public let sysfs: SysfsTree

    /// Creates a reader over `sysfs`.
    public init(sysfs: SysfsTree) { self.sysfs = sysfs }

    public func numaTopology() -> NUMATopology {
        var topology = NUMATopology()
        for entry in sysfs.list("devices/system/node") where entry.hasPrefix("node") {
            guard let node = Int(entry.dropFirst(4)), String(node) == entry.dropFirst(4),
                  let text = sysfs.read("devices/system/node/\(entry)/cpulist"),
                  let cpus = CPUList.parse(text) else { continue }
            topology.cpusByNode[node] = cpus
        }
        return topology
    }
}
