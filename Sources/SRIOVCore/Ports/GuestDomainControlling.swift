/// Talks to libvirt about guests. Implemented by SRIOVLibvirt over the C API.
public protocol GuestDomainControlling: Sendable {
    /// Every defined guest with its hostdev interfaces.
    func listGuests() throws(SRIOVError) -> [GuestDefinition]
    /// The guest named `name`, or `nil` when libvirt does not know it.
    func guest(named name: String) throws(SRIOVError) -> GuestDefinition?
    /// Attaches a device given as XML (virDomainAttachDeviceFlags).
    func attachDevice(xml: String, to guest: String, scope: DomainChangeScope) throws(SRIOVError)
    /// Detaches a device given as XML (virDomainDetachDeviceFlags).
    func detachDevice(xml: String, from guest: String, scope: DomainChangeScope) throws(SRIOVError)
}
