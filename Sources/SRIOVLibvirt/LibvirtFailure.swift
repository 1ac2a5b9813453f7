internal import CLibvirt
public import SRIOVCore

/// Turns libvirt's thread-local last error into an ``SRIOVError``.
///
/// Call right after the libvirt call that failed, on the same thread, before any other
/// libvirt call: libvirt keeps one last error per thread and the next call may reset it.
enum LibvirtFailure {
    /// libvirt's error number and message for the last failed call on this thread, then resets it.
    /// `call` names the C function, for the rare case where libvirt set no error.
    static func last(call: String) -> (code: Int32, message: String) {
        guard let error = sriovctl_virGetLastError() else {
            return (-1, "\(call) failed without an error message")
        }
        let code = error.pointee.code
        let message = error.pointee.message.map { String(cString: $0) } ?? "\(call) failed (libvirt error \(code))"
        sriovctl_virResetLastError()
        return (code, message)
    }

    /// The last error as `<subject>: libvirt: <message>`, e.g. `guest 'web1': libvirt: …`.
    ///
    /// libvirt's "no such domain" and "device not found" become `.notFound`, "not supported by
    /// the connection driver" becomes `.notSupported`; everything else is `.libvirt`.
    static func error(_ subject: String, call: String) -> SRIOVError {
        let (code, message) = last(call: call)
        return SRIOVError(sriovCode(code), "\(subject): libvirt: \(message)")
    }

    /// The ``SRIOVError/Code`` for a libvirt `virErrorNumber`.
    static func sriovCode(_ code: Int32) -> SRIOVError.Code {
        switch UInt32(bitPattern: code) {
        case VIR_ERR_NO_DOMAIN.rawValue, VIR_ERR_DEVICE_MISSING.rawValue:
            return .notFound
        case VIR_ERR_NO_SUPPORT.rawValue, VIR_ERR_OPERATION_UNSUPPORTED.rawValue:
            return .notSupported
        default:
            return .libvirt
        }
    }

    /// True when `code` is libvirt's "domain not found".
    static func isNoDomain(_ code: Int32) -> Bool {
        UInt32(bitPattern: code) == VIR_ERR_NO_DOMAIN.rawValue
    }
}
