import SRIOVCore

/// Every network interface in `class/net` with its MAC (`address`) and the interfaces it is
/// stacked on (`lower_*` links: a VLAN on `eth2` has `lower_eth2`).
///
/// For `audit`, which compares host interface MACs with VF MACs. Interfaces whose `address`
/// is not a 6-byte MAC (tunnels, InfiniBand) are left out.
public struct SysfsNetInterfaces: Sendable {
    /// One interface.
    public struct Interface: Hashable, Sendable {
        /// Interface name.
        public var name: String
        /// Current MAC.
        public var mac: MACAddress
        /// Names of the interfaces it is stacked on.
        public var lowers: [String]
    }

    /// The tree read.
    public let sysfs: SysfsTree

    /// Creates a reader over `sysfs`.
    public init(sysfs: SysfsTree) { self.sysfs = sysfs }

    /// The interfaces, by name.
    public func read() -> [Interface] {
        sysfs.list("class/net").compactMap { name in
            guard let text = sysfs.read("class/net/\(name)/address"), let mac = MACAddress(text) else { return nil }
            let lowers = sysfs.list("class/net/\(name)").filter { $0.hasPrefix("lower_") }.map { String($0.dropFirst(6)) }
            return Interface(name: name, mac: mac, lowers: lowers)
        }
    }
}
