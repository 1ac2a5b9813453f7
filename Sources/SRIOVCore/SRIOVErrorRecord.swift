/// A ``SRIOVError`` in a form that can be stored and encoded.
public struct SRIOVErrorRecord: Hashable, Sendable, Codable {
    /// Error kind.
    public var code: SRIOVError.Code
    /// User-facing message.
    public var message: String
    /// The OS error number behind it, if any (omitted from JSON when there is none).
    public var errno: Int32?
    /// The error's ``SRIOVError/cause``, kept in memory across a port (never encoded).
    public var cause: SRIOVError?

    private enum CodingKeys: String, CodingKey { case code, message, errno }

    /// Records an error, keeping its errno and its cause.
    public init(_ error: SRIOVError) {
        self.code = error.code
        self.message = error.message
        self.errno = error.errno
        self.cause = error.cause
    }

    /// The error again, with its errno and cause (so `error.errno == ENODEV` still tells a
    /// vanished PF).
    public var error: SRIOVError {
        var error = SRIOVError(code, message, errno: errno)
        error.cause = cause
        return error
    }
}
