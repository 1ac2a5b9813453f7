internal import CLibvirt
internal import Glibc
public import SRIOVCore

/// Guests as a libvirt connection sees them, and device attach/detach through the C API.
///
/// The ``GuestDomainControlling`` adapter for `sriovctl attach`, `detach` and `audit`. Every
/// error names the guest and carries libvirt's message (`guest 'web1': libvirt: …`); an
/// unknown guest is `.notFound`.
public struct LibvirtGuestDomains: GuestDomainControlling {
    /// The URI used when none is given: the system QEMU/KVM daemon.
    public static let defaultURI = "qemu:///system"

    /// The connection all calls go through.
    public let connection: LibvirtConnection

    /// Uses an open connection.
    public init(connection: LibvirtConnection) {
        self.connection = connection
    }

    /// Opens `uri` (the `--connect` option; default `qemu:///system`), read-only if asked.
    /// A read-only connection can list guests but not attach or detach.
    public init(uri: String = LibvirtGuestDomains.defaultURI, readOnly: Bool = false) throws(SRIOVError) {
        self.connection = try LibvirtConnection.open(uri: uri, readOnly: readOnly)
    }

    /// Every defined or running guest, sorted by name, with its hostdev interfaces.
    ///
    /// A guest that disappears while being read is left out.
    public func listGuests() throws(SRIOVError) -> [GuestDefinition] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = sriovctl_virConnectListAllDomains(connection.pointer, &list, 0)
        guard count >= 0 else {
            throw LibvirtFailure.error("libvirt \(connection.uri)", call: "virConnectListAllDomains")
        }
        // Take ownership of every handle first so each is freed even if reading one fails.
        var domains: [LibvirtDomain] = []
        if let list {
            for i in 0..<Int(count) {
                if let pointer = list[i] { domains.append(LibvirtDomain(connection: connection, pointer: pointer)) }
            }
            free(list)
        }
        var guests: [GuestDefinition] = []
        for domain in domains {
            do {
                guests.append(try definition(of: domain))
            } catch where error.code == .notFound {
                continue
            }
        }
        return guests.sorted { $0.name < $1.name }
    }

    /// The guest named `name`, or `nil` when libvirt has no such guest.
    public func guest(named name: String) throws(SRIOVError) -> GuestDefinition? {
        guard let domain = try LibvirtDomain.lookup(name, on: connection) else { return nil }
        return try definition(of: domain)
    }

    /// Attaches device XML (e.g. ``LibvirtInterfaceXML/render(_:)``) to `guest`.
    ///
    /// `scope` `.config` changes the persistent definition, `.live` the running guest; empty
    /// means libvirt's "current" (live if running, else config). Throws `.notFound` for an
    /// unknown guest, `.notSupported` when the driver cannot attach (the test driver), and
    /// `.libvirt` with libvirt's reason otherwise (duplicate MAC, live change on a stopped guest...).
    public func attachDevice(xml: String, to guest: String, scope: DomainChangeScope) throws(SRIOVError) {
        let domain = try existing(guest)
        guard sriovctl_virDomainAttachDeviceFlags(domain.pointer, xml, Self.flags(scope)) == 0 else {
            throw LibvirtFailure.error(domain.subject, call: "virDomainAttachDeviceFlags")
        }
    }

    /// Detaches the device described by `xml` from `guest` (libvirt matches a hostdev
    /// interface by its MAC and PCI source). Throws `.notFound` for an unknown guest or when
    /// the guest has no such device; a live detach needs the guest OS to release the device.
    public func detachDevice(xml: String, from guest: String, scope: DomainChangeScope) throws(SRIOVError) {
        let domain = try existing(guest)
        guard sriovctl_virDomainDetachDeviceFlags(domain.pointer, xml, Self.flags(scope)) == 0 else {
            throw LibvirtFailure.error(domain.subject, call: "virDomainDetachDeviceFlags")
        }
    }

    /// The guest's domain XML: running definition, or with `persistent` the one on disk.
    public func domainXML(of guest: String, persistent: Bool = false) throws(SRIOVError) -> String {
        try existing(guest).xml(persistent: persistent)
    }

    /// Defines (or redefines) a persistent guest from domain XML, validated against libvirt's
    /// schema (VIR_DOMAIN_DEFINE_VALIDATE), and returns it. For tests, the lab and demos;
    /// sriovctl itself never defines guests.
    @discardableResult
    public func defineGuest(xml: String) throws(SRIOVError) -> GuestDefinition {
        guard let pointer = sriovctl_virDomainDefineXMLFlags(connection.pointer, xml, VIR_DOMAIN_DEFINE_VALIDATE.rawValue) else {
            throw LibvirtFailure.error("libvirt \(connection.uri): define guest", call: "virDomainDefineXMLFlags")
        }
        return try definition(of: LibvirtDomain(connection: connection, pointer: pointer))
    }

    /// Removes a stopped guest's persistent definition. For tests, the lab and demos.
    public func undefineGuest(named name: String) throws(SRIOVError) {
        let domain = try existing(name)
        guard sriovctl_virDomainUndefineFlags(domain.pointer, 0) == 0 else {
            throw LibvirtFailure.error(domain.subject, call: "virDomainUndefineFlags")
        }
    }

    /// The libvirt flags for a scope: VIR_DOMAIN_AFFECT_LIVE / _CONFIG, or _CURRENT (0).
    static func flags(_ scope: DomainChangeScope) -> UInt32 {
        var flags: UInt32 = VIR_DOMAIN_AFFECT_CURRENT.rawValue
        if scope.contains(.live) { flags |= VIR_DOMAIN_AFFECT_LIVE.rawValue }
        if scope.contains(.config) { flags |= VIR_DOMAIN_AFFECT_CONFIG.rawValue }
        return flags
    }

    private func existing(_ name: String) throws(SRIOVError) -> LibvirtDomain {
        guard let domain = try LibvirtDomain.lookup(name, on: connection) else {
            throw SRIOVError(.notFound, "guest '\(name)': no such guest on \(connection.uri)")
        }
        return domain
    }

    /// Reads name, UUID, state and both definitions' hostdev interfaces.
    private func definition(of domain: LibvirtDomain) throws(SRIOVError) -> GuestDefinition {
        let uuid = try domain.uuid()
        let active = try domain.isActive()
        let persistent = try domain.isPersistent()
        let current = try parse(domain.xml(persistent: false), of: domain)
        if !active {
            var guest = GuestDefinition(name: domain.name, uuid: uuid, isActive: false,
                                        hostdevInterfaces: current.hostdevInterfaces,
                                        numa: current.numa.isEmpty ? nil : current.numa)
            guest.otherInterfaceMACs = current.otherInterfaceMACs
            return guest
        }
        let defined = persistent ? try parse(domain.xml(persistent: true), of: domain) : current
        // Where a running guest is pinned: its running definition (what QEMU was given).
        var guest = GuestDefinition(name: domain.name, uuid: uuid, isActive: true,
                                    hostdevInterfaces: defined.hostdevInterfaces,
                                    liveHostdevInterfaces: current.hostdevInterfaces,
                                    numa: current.numa.isEmpty ? nil : current.numa)
        guest.otherInterfaceMACs = defined.otherInterfaceMACs
        return guest
    }

    private func parse(_ xml: String, of domain: LibvirtDomain) throws(SRIOVError) -> ParsedDomainXML {
        do {
            return try DomainXMLParser.parse(xml)
        } catch {
            throw SRIOVError("\(domain.subject): \(error.message)", causedBy: error)
        }
    }
}
