public import SRIOVCore

/// Which network interfaces are stacked on which: a VLAN, macvlan or bond member on `eth2`
/// has a `lower_eth2` entry in `class/net/<name>/`.
///
/// For `audit`: an interface stacked on a VF's netdev shares that VF's MAC legitimately.
public struct SysfsInterfaceStacking: InterfaceStackingReading {
    /// The tree read.
    public let sysfs: SysfsTree

    /// Creates a reader over `sysfs`.
    public init(sysfs: SysfsTree) { self.sysfs = sysfs }

    /// For each interface with lower interfaces, their names.
    public func lowerInterfaces() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for name in sysfs.list("class/net") {
            let lowers = sysfs.list("class/net/\(name)").filter { $0.hasPrefix("lower_") }.map { String($0.dropFirst(6)) }
            if !lowers.isEmpty { result[name] = lowers }
        }
        return result
    }
}
