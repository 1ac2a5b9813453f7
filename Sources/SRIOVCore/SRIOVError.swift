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
    /// The error this one was raised for, kept as it was (code, errno, message), so that a
    /// caller several layers up can still tell a vanished PF (`cause.errno == ENODEV`) from a
    /// refused value after the message has been reworded. `nil` when this is the first error.
    public var cause: SRIOVError? {
        get { underlying?.error }
        set { underlying = newValue.map(Underlying.error) }
    }
    private var underlying: Underlying?

    /// Boxes the cause (a struct cannot hold itself).
    private indirect enum Underlying: Sendable {
        case error(SRIOVError)

        var error: SRIOVError { switch self { case .error(let error): error } }
    }

    /// Creates an error.
    public init(_ code: Code, _ message: String, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.errno = errno
    }

    /// Creates an error raised because of `cause`: it keeps `cause` (``cause``) and its
    /// errno, and, unless given, its code. `message` is the whole text shown to the user,
    /// usually naming what was being done and then `cause.message`.
    public init(_ message: String, causedBy cause: SRIOVError, code: Code? = nil) {
        self.init(code ?? cause.code, message, errno: cause.errno)
        self.cause = cause
    }

    /// The first error of the chain: this one's ``cause``'s cause, and so on.
    public var rootCause: SRIOVError { cause?.rootCause ?? self }

    public var description: String { message }

    /// Two errors are the same to a user when their code, message and errno are: the
    /// ``cause`` is not compared (it is already worded into the message).
    public static func == (lhs: SRIOVError, rhs: SRIOVError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.errno == rhs.errno
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(errno)
    }
}
