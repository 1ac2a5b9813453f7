public import SRIOVCore

/// A request the API refuses or could not carry out, as sent back: an HTTP status and the JSON
/// body `{"error": {"status": 400, "code": "wrong-type", "field": "trust", "message": "…"}}`.
/// Nothing was changed when the status is 4xx.
public struct AgentRequestError: Error, Hashable, Sendable, Codable {
    /// The HTTP status.
    public var status: Int
    /// A stable word: `malformed-json`, `unknown-field`, `wrong-type`, `missing-field`,
    /// `invalid-value`, `body-too-large`, `unsupported-media-type`, `method-not-allowed`,
    /// `not-found`, or an ``SRIOVError/Code`` for a failure of the operation itself.
    public var code: String
    /// The request field at fault (`mac`, `vfs[2]`, `body`, `method`, `path`), `nil` when none is.
    public var field: String?
    /// What went wrong, as the CLI would print it.
    public var message: String

    /// Creates an error.
    public init(status: Int, code: String, field: String?, message: String) {
        self.status = status
        self.code = code
        self.field = field
        self.message = message
    }

    /// A 400 for `field`.
    public static func badField(_ field: String, _ code: String, _ message: String) -> AgentRequestError {
        AgentRequestError(status: 400, code: code, field: field, message: message)
    }

    /// The answer for an ``SRIOVError`` an operation threw: 400 for bad input, 404 when
    /// something named does not exist, 409 when busy or exhausted, else 500.
    public init(_ error: SRIOVError, field: String? = nil) {
        let status: Int = switch error.code {
        case .invalidValue, .notSupported: 400
        case .notFound: 404
        case .busy, .exhausted: 409
        case .invalidConfig, .database, .libvirt, .system, .partialFailure: 500
        }
        self.init(status: status, code: error.code.rawValue, field: field, message: error.message)
    }

    /// The ``SRIOVError`` a client reports for this answer (the message as the CLI prints it).
    public var sriovError: SRIOVError {
        SRIOVError(SRIOVError.Code(rawValue: code) ?? (status >= 500 ? .system : .invalidValue), message)
    }

    enum CodingKeys: String, CodingKey { case status, code, field, message }

    /// Every key present; `field` is `null` when no field is at fault.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(status, forKey: .status)
        try c.encode(code, forKey: .code)
        try c.encode(field, forKey: .field)
        try c.encode(message, forKey: .message)
    }

    /// The JSON envelope.
    public struct Envelope: Codable, Sendable {
        /// The error.
        public var error: AgentRequestError
        /// Wraps `error`.
        public init(error: AgentRequestError) { self.error = error }
    }
}
