public import SRIOVCore
import Synchronization

/// ``HostDiscovering`` that returns a fixed, replaceable inventory.
public final class FakeHostDiscovery: HostDiscovering, Sendable {
    private let inventory: Mutex<HostInventory>

    /// Creates a discovery returning `inventory`.
    public init(_ inventory: HostInventory = HostInventory(pfs: [])) { self.inventory = Mutex(inventory) }

    /// Replaces the inventory.
    public func set(_ new: HostInventory) { inventory.withLock { $0 = new } }

    /// Changes the inventory in place.
    public func update(_ body: (inout HostInventory) -> Void) { inventory.withLock { body(&$0) } }

    public func discover() -> HostInventory { inventory.withLock { $0 } }
}
