/// The one error type sriovctl reports to a user.
///
/// The message names the thing (PF, VF index, file and line, guest) and the cause,
/// e.g. `eth3 VF 9: no such VF (PF has 8 VFs)`. ``code`` lets callers and tests
/// tell kinds apart without matching text.
public struct SRIOVError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Hashable, Sendable, Codable {
        /// A value the user gave is wrong (MAC, VLAN, rate, name...). Nothing was changed.
        case invalidValue
        /// A PF, VF, guest, network or lease that does not exist.
        case notFound
        /// The driver or kernel does not support the operation (EOPNOTSUPP).
        case notSupported
        /// The resource is in use (assigned VF, EBUSY, lock held).
        case busy
        /// A config file is malformed.
        case invalidConfig
        /// The state database is not ours, is newer than this program, or failed.
        case database
        /// libvirt refused or failed.
        case libvirt
        /// A system call or kernel request failed for another reason.
        case system
        /// No free VF or MAC is left.
        case exhausted
        /// Several operations failed; see the message.
        case partialFailure
    }

    /// The kind of failure.
    public var code: Code
    /// The message shown to the user.
    public var message: String
    /// The OS error number behind it, if any.
    public var errno: Int32?

    /// Creates an error.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    public var description: String { message }
}
