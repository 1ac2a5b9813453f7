public import SRIOVCore
import Synchronization

/// ``HostDeviceInspecting`` over dictionaries: host interface MACs and PCI bindings.
/// Unknown PCI devices are unbound.
public final class FakeHostDevices: HostDeviceInspecting, Sendable {
    private struct State {
        var macs: [String: MACAddress]
        var bindings: [String: IOMMUGroupPeer]
    }

    private let state: Mutex<State>

    /// Creates devices with interface MACs and PCI bindings.
    public init(interfaceMACs: [String: MACAddress] = [:], bindings: [String: IOMMUGroupPeer] = [:]) {
        state = Mutex(State(macs: interfaceMACs, bindings: bindings))
    }

    /// Sets the MAC of a host interface.
    public func setInterface(_ name: String, mac: MACAddress) { state.withLock { $0.macs[name] = mac } }

    /// Binds PCI device `device` to `driver` (`nil`: unbound).
    public func bind(_ device: String, driver: String?, isBridge: Bool = false) {
        state.withLock { $0.bindings[device] = IOMMUGroupPeer(device: device, driver: driver, pciClass: isBridge ? "0x060400" : "0x020000") }
    }

    public func interfaceMACs() -> [String: MACAddress] { state.withLock { $0.macs } }

    public func binding(ofPCIDevice device: String) -> IOMMUGroupPeer {
        state.withLock { $0.bindings[device] } ?? IOMMUGroupPeer(device: device, driver: nil, pciClass: "0x020000")
    }
}
