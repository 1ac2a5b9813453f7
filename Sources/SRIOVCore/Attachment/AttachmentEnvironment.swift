/// The ports and configuration attach, detach and repair work with. Built by the
/// command-line composition root; tests build it from SRIOVTesting fakes.
public struct AttachmentEnvironment: Sendable {
    /// The host configuration (networks, MAC pool).
    public var config: HostConfig
    /// The state database.
    public var store: any StateStoring
    /// Netlink VF control.
    public var links: any VFLinkControlling
    /// sysfs discovery.
    public var discovery: any HostDiscovering
    /// Host interface MACs and IOMMU group bindings.
    public var devices: any HostDeviceInspecting
    /// Whether other processes are still running.
    public var liveness: any ProcessLiveness
    /// libvirt, when the command may talk to it (`--apply`, `--connect`); `nil` otherwise.
    public var guests: (any GuestDomainControlling)?
    /// Renders `<interface type='hostdev'>` XML (for `--format libvirt` and `--apply`).
    public var renderLibvirtXML: @Sendable (GuestInterface) throws(SRIOVError) -> String
    /// Renders the Xen `pci = [ … ]` line (for `--format xl`).
    public var renderXenConfig: @Sendable (GuestInterface) throws(SRIOVError) -> String

    /// Creates an environment.
    public init(config: HostConfig, store: any StateStoring, links: any VFLinkControlling,
                discovery: any HostDiscovering, devices: any HostDeviceInspecting, liveness: any ProcessLiveness,
                guests: (any GuestDomainControlling)? = nil,
                renderLibvirtXML: @escaping @Sendable (GuestInterface) throws(SRIOVError) -> String,
                renderXenConfig: @escaping @Sendable (GuestInterface) throws(SRIOVError) -> String) {
        self.config = config
        self.store = store
        self.links = links
        self.discovery = discovery
        self.devices = devices
        self.liveness = liveness
        self.guests = guests
        self.renderLibvirtXML = renderLibvirtXML
        self.renderXenConfig = renderXenConfig
    }

    /// Crash repair over this environment.
    public var repair: IntentRepair {
        IntentRepair(store: store, links: links, discovery: discovery, devices: devices, liveness: liveness)
    }

    /// Renders `interface` in `format`; JSON needs no rendering and gives `nil`.
    public func render(_ interface: GuestInterface, as format: AttachOutputFormat) throws(SRIOVError) -> String? {
        switch format {
        case .libvirt: try renderLibvirtXML(interface)
        case .xl: try renderXenConfig(interface)
        case .json: nil
        }
    }
}
