/// A ``SRIOVError`` in a form that can be stored and encoded.
public struct SRIOVErrorRecord: Hashable, Sendable, Codable {
    /// Error kind.
    public var code: SRIOVError.Code
    /// User-facing message.
    public var message: String
    /// The OS error number behind it, if any (omitted from JSON when there is none).
    public var errno: Int32?

    /// Records an error, keeping its errno.
    public init(_ error: SRIOVError) {
        self.code = error.code
        self.message = error.message
        self.errno = error.errno
    }

    /// The error again, with its errno (so `error.errno == ENODEV` still tells a vanished PF).
    public var error: SRIOVError { SRIOVError(code, message, errno: errno) }
}
