/// A guest's failover pair for live migration (virtio-net failover, libvirt 6.1+ and QEMU
/// 4.2+): a virtio interface that stays, and the VF that the migration unplugs, teamed in the
/// guest's `net_failover` driver under one MAC.
public struct FailoverPair: Hashable, Sendable, Codable {
    /// The virtio interface's path: a libvirt network or a host bridge (the network's `failover:`).
    public var path: FailoverPath
    /// The virtio interface's user alias (`ua-…`), which the VF's `<teaming persistent>` names.
    public var alias: String

    /// Creates a pair.
    public init(path: FailoverPath, alias: String) {
        self.path = path
        self.alias = alias
    }

    /// The pair for a lease on a network with a `failover:` path: the alias is
    /// `ua-sriov-NETWORK-SLOT` (the network's first 40 characters), with every character libvirt does not allow in an alias
    /// (anything but ASCII letters, digits, `_` and `-`) written as `-`.
    public init(path: FailoverPath, network: String, slot: Int) {
        let safe = String(network.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "-" })
        self.init(path: path, alias: "ua-sriov-\(safe.prefix(40))-\(slot)")
    }
}

/// Renders a failover pair as two libvirt device XMLs:
/// ```
/// <interface type='network'>
///   <mac address='02:5a:00:00:00:01'/>
///   <source network='default'/>
///   <model type='virtio'/>
///   <teaming type='persistent'/>
///   <alias name='ua-sriov-prod-0'/>
/// </interface>
/// <interface type='hostdev' managed='yes'>
///   <mac address='02:5a:00:00:00:01'/>
///   <source>
///     <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x2'/>
///   </source>
///   <teaming type='transient' persistent='ua-sriov-prod-0'/>
/// </interface>
/// ```
/// The virtio one must be attached first (the VF's `persistent` names its alias). A
/// migration unplugs the transient VF, carries traffic on virtio, and the destination
/// attaches a VF of its own (docs/libvirt.md).
public enum LibvirtFailoverXML {
    /// The two device XMLs, virtio first, each ending with a newline. Throws as
    /// ``LibvirtInterfaceXML/render(_:)`` does, and `.invalidValue` for an alias libvirt
    /// refuses (it must be `ua-` and ASCII letters, digits, `_`, `-`).
    public static func render(_ interface: GuestInterface, pair: FailoverPair) throws(SRIOVError) -> (virtio: String, hostdev: String) {
        try validateAlias(pair.alias)
        let a = XMLEscaping.attribute
        var virtio: String
        switch pair.path {
        case .network(let name):
            virtio = "<interface type='network'>\n  <mac address='\(a(interface.mac.description))'/>\n"
            virtio += "  <source network='\(a(name))'/>\n"
        case .bridge(let name):
            virtio = "<interface type='bridge'>\n  <mac address='\(a(interface.mac.description))'/>\n"
            virtio += "  <source bridge='\(a(name))'/>\n"
        }
        virtio += "  <model type='virtio'/>\n"
        virtio += "  <teaming type='persistent'/>\n"
        virtio += "  <alias name='\(a(pair.alias))'/>\n"
        virtio += "</interface>\n"
        var hostdev = try LibvirtInterfaceXML.render(interface)
        let closing = "</interface>\n"
        hostdev.removeLast(closing.count)
        hostdev += "  <teaming type='transient' persistent='\(a(pair.alias))'/>\n" + closing
        return (virtio, hostdev)
    }

    /// Both XMLs, virtio first: what `attach --failover` prints.
    public static func renderBoth(_ interface: GuestInterface, pair: FailoverPair) throws(SRIOVError) -> String {
        let (virtio, hostdev) = try render(interface, pair: pair)
        return virtio + hostdev
    }

    /// libvirt's rule for user aliases: `ua-` followed by ASCII letters, digits, `_` and `-`.
    static func validateAlias(_ alias: String) throws(SRIOVError) {
        let rest = alias.dropFirst(3)
        guard alias.hasPrefix("ua-"), !rest.isEmpty, alias.utf8.count <= 64,
              rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw SRIOVError(.invalidValue, "failover alias '\(TextRules.escaped(alias))' is not a libvirt user alias (ua- and letters, digits, '_', '-')")
        }
    }
}
