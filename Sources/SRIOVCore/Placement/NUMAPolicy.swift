/// How a network weighs a guest's NUMA node when it chooses a VF (`numa:` in the config),
/// in the spirit of Nova's `hw:pci_numa_affinity_policy`.
public enum NUMAPolicy: String, Hashable, Sendable, Codable, CaseIterable {
    /// Only a VF whose PF is on one of the guest's nodes (or on an unknown node); refuses
    /// otherwise, naming the nodes that have free VFs.
    case required
    /// A local VF when one is free, else any (with a note). The default.
    case preferred
    /// The guest's node plays no part.
    case ignore
}

/// The virtio half of a failover pair (`failover:` of a network): the libvirt network or
/// host bridge that carries the guest's traffic while its VF is unplugged for a migration.
public enum FailoverPath: Hashable, Sendable, Codable, CustomStringConvertible {
    /// `<interface type='network'><source network='NAME'/>`.
    case network(String)
    /// `<interface type='bridge'><source bridge='NAME'/>`.
    case bridge(String)

    /// `network default` or `bridge br0`.
    public var description: String {
        switch self {
        case .network(let name): "network \(name)"
        case .bridge(let name): "bridge \(name)"
        }
    }
}
