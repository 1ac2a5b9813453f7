internal import CLibvirt
public import SRIOVCore

/// An open connection to a libvirt daemon or driver (`qemu:///system`, `xen:///system`,
/// `test:///default`). Owns the C `virConnectPtr` and closes it when released.
///
/// libvirt connections may be shared between threads, so this class is `Sendable`.
/// Opening the first connection also silences libvirt's default error printer, which would
/// otherwise write every error to stderr: sriovctl reports errors itself, as ``SRIOVError``s.
public final class LibvirtConnection: @unchecked Sendable {
    /// The URI this connection was opened with.
    public let uri: String
    /// True when opened read-only (enough for listing guests and reading their XML).
    public let isReadOnly: Bool
    /// The C handle; valid for the lifetime of this object.
    let pointer: OpaquePointer

    private init(uri: String, isReadOnly: Bool, pointer: OpaquePointer) {
        self.uri = uri
        self.isReadOnly = isReadOnly
        self.pointer = pointer
    }

    deinit { sriovctl_virConnectClose(pointer) }

    /// Opens `uri`, read-write unless `readOnly`.
    ///
    /// Throws `.libvirt` with libvirt's reason, e.g. `libvirt qemu:///system: cannot connect:
    /// Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory`.
    public static func open(uri: String, readOnly: Bool = false) throws(SRIOVError) -> LibvirtConnection {
        guard sriovctl_libvirt_load() == 0 else {
            let why = sriovctl_libvirt_load_error().map { String(cString: $0) } ?? "unknown reason"
            throw SRIOVError(.libvirt, "libvirt \(uri): cannot connect: the libvirt library is not available (\(why))")
        }
        _ = setUp
        let handle = readOnly ? sriovctl_virConnectOpenReadOnly(uri) : sriovctl_virConnectOpen(uri)
        guard let handle else {
            let (_, message) = LibvirtFailure.last(call: readOnly ? "virConnectOpenReadOnly" : "virConnectOpen")
            throw SRIOVError(.libvirt, "libvirt \(uri): cannot connect: \(message)")
        }
        return LibvirtConnection(uri: uri, isReadOnly: readOnly, pointer: handle)
    }

    /// Runs once per process: initializes libvirt for threads and installs a no-op error handler.
    private static let setUp: Void = {
        _ = sriovctl_virInitialize()
        sriovctl_virSetErrorFunc(nil) { _, _ in }
    }()
}
