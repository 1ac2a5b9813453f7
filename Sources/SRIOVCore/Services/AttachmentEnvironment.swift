/// The ports and configuration attach, detach and repair work with. Built by a front end's
/// composition root (the CLI's `HostServices`); tests build it from SRIOVTesting fakes.
/// Rendering is the core's own (``AttachOutputFormat/render(_:)``), not a port.
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
    /// The host's NUMA nodes and CPUs, to map a guest's pinned CPUs to nodes; `nil`: none known.
    public var numa: (any NUMATopologyReading)? = nil

    /// Creates an environment.
    public init(config: HostConfig, store: any StateStoring, links: any VFLinkControlling,
                discovery: any HostDiscovering, devices: any HostDeviceInspecting, liveness: any ProcessLiveness,
                guests: (any GuestDomainControlling)? = nil) {
        self.config = config
        self.store = store
        self.links = links
        self.discovery = discovery
        self.devices = devices
        self.liveness = liveness
        self.guests = guests
    }

    /// Crash repair over this environment.
    public var repair: IntentRepair {
        IntentRepair(store: store, links: links, discovery: discovery, devices: devices, liveness: liveness)
    }
}
