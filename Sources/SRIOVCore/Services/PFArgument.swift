/// A PF as a user names it on a command line or in an API path: a netdev (`eth3`), a PCI
/// address (`0000:01:00.0`) or a sysfs device name, resolved through sysfs discovery of that
/// PF alone where the adapter can (``HostDiscovering/discoverPF(matching:)``).
public enum PFArgument {
    /// The netdev of the PF named `identifier`.
    public static func netdev(_ identifier: String, discovery: any HostDiscovering) throws(SRIOVError) -> String {
        try resolve(identifier, discovery: discovery).netdev
    }

    /// The PF named `identifier` as sysfs shows it, and its netdev; an error when no PF has
    /// that name or the PF has no network interface.
    public static func resolve(_ identifier: String, discovery: any HostDiscovering) throws(SRIOVError)
        -> (netdev: String, pf: PhysicalFunction) {
        let pf = try discovery.discoverPF(matching: identifier)
        guard let netdev = pf.netdev else {
            throw SRIOVError(.notFound, "PF \(pf.name) has no network interface (is its driver bound?)")
        }
        return (netdev, pf)
    }
}
