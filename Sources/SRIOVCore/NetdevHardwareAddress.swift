/// A netdev's MAC as sysfs shows it.
public struct NetdevHardwareAddress: Hashable, Sendable, Codable {
    /// `address`.
    public var address: MACAddress
    /// `addr_assign_type`: 0 permanent, 1 random, 2 stolen, 3 set by user; `nil` when absent.
    public var assignType: Int?

    /// Creates a value.
    public init(address: MACAddress, assignType: Int?) {
        self.address = address
        self.assignType = assignType
    }

    /// True when `address` is the device's own burned-in address (assign type 0, or not reported).
    public var isPermanent: Bool { assignType == nil || assignType == 0 }
}
