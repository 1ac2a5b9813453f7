internal import CLibvirt
internal import Glibc
public import SRIOVCore

/// One looked-up libvirt domain. Owns the C `virDomainPtr` and frees it when released.
final class LibvirtDomain {
    /// The connection it came from; kept alive as long as the domain handle.
    let connection: LibvirtConnection
    let pointer: OpaquePointer
    /// The name it is known by, for error messages.
    let name: String

    /// Takes ownership of `pointer`.
    init(connection: LibvirtConnection, pointer: OpaquePointer) {
        self.connection = connection
        self.pointer = pointer
        self.name = sriovctl_virDomainGetName(pointer).map { String(cString: $0) } ?? "(a guest whose name libvirt did not give)"
    }

    deinit { sriovctl_virDomainFree(pointer) }

    /// `guest 'web1'`: how error messages name this domain.
    var subject: String { "guest '\(name)'" }

    /// The domain named `name`, or `nil` when the connection knows no such domain.
    static func lookup(_ name: String, on connection: LibvirtConnection) throws(SRIOVError) -> LibvirtDomain? {
        guard let pointer = sriovctl_virDomainLookupByName(connection.pointer, name) else {
            let (code, message) = LibvirtFailure.last(call: "virDomainLookupByName")
            if LibvirtFailure.isNoDomain(code) { return nil }
            throw SRIOVError(LibvirtFailure.sriovCode(code), "guest '\(name)': libvirt: \(message)")
        }
        return LibvirtDomain(connection: connection, pointer: pointer)
    }

    /// The domain's UUID, `c1c12e9d-26e0-40ec-a6d8-a16dc7210983`.
    func uuid() throws(SRIOVError) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        guard sriovctl_virDomainGetUUIDString(pointer, &buffer) == 0 else {
            throw LibvirtFailure.error(subject, call: "virDomainGetUUIDString")
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when the domain is running.
    func isActive() throws(SRIOVError) -> Bool {
        let result = sriovctl_virDomainIsActive(pointer)
        guard result >= 0 else { throw LibvirtFailure.error(subject, call: "virDomainIsActive") }
        return result == 1
    }

    /// True when the domain has a persistent definition (it was defined, not just created).
    func isPersistent() throws(SRIOVError) -> Bool {
        let result = sriovctl_virDomainIsPersistent(pointer)
        guard result >= 0 else { throw LibvirtFailure.error(subject, call: "virDomainIsPersistent") }
        return result == 1
    }

    /// The domain XML: the running definition, or with `persistent` the one on disk
    /// (VIR_DOMAIN_XML_INACTIVE). For an inactive domain both are the same.
    func xml(persistent: Bool) throws(SRIOVError) -> String {
        let flags = persistent ? VIR_DOMAIN_XML_INACTIVE.rawValue : 0
        guard let text = sriovctl_virDomainGetXMLDesc(pointer, flags) else {
            throw LibvirtFailure.error(subject, call: "virDomainGetXMLDesc")
        }
        defer { free(text) }
        return String(cString: text)
    }
}
