/// Where the state lives, from the config's `state:` section (docs/state.md):
///
/// ```yaml
/// state:
///   url: "sqlite:///var/lib/sriovctl/state.db"          # the default: one host, one file
/// # url: "postgresql://sriovctl@db.example/sriovctl?sslmode=verify-full&sslrootcert=/etc/sriovctl/db-ca.pem"
/// # password_file: /etc/sriovctl/db-password           # 0600, root's; the URL never holds a password
/// ```
///
/// `--db PATH` on the command line still names an SQLite file and wins over the config.
public enum StateStoreURL: Hashable, Sendable, CustomStringConvertible {
    /// An SQLite file on this host.
    case sqlite(path: String)
    /// A PostgreSQL database shared by a fleet.
    case postgres(PostgresTarget)

    /// `sqlite:///var/lib/sriovctl/state.db`.
    public static let defaultSQLitePath = "/var/lib/sriovctl/state.db"

    /// Parses `url` (`sqlite:///PATH` or `postgresql://…`/`postgres://…`) with the
    /// `password_file:` beside it. A password inside the URL is refused, without repeating
    /// the URL, so that it never reaches a log or an error message.
    public init(parsing url: String, passwordFile: String? = nil) throws(SRIOVError) {
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard path.hasPrefix("/"), path.count > 1 else {
                throw SRIOVError(.invalidConfig, "state url: an SQLite url is sqlite:///ABSOLUTE/PATH, found '\(TextRules.escaped(url))'")
            }
            guard passwordFile == nil else {
                throw SRIOVError(.invalidConfig, "state: password_file is for a postgresql:// url, not an SQLite file")
            }
            self = .sqlite(path: path)
        } else if url.hasPrefix("postgresql://") || url.hasPrefix("postgres://") {
            self = .postgres(try PostgresTarget(parsing: url, passwordFile: passwordFile))
        } else {
            let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
            throw SRIOVError(.invalidConfig, "state url: unknown scheme '\(TextRules.escaped(scheme))' "
                             + "(expected sqlite:///PATH or postgresql://USER@HOST/DATABASE)")
        }
    }

    /// The URL without credentials, for messages.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .postgres(let target): target.description
        }
    }
}

/// How `sslmode=` asks for TLS, as libpq spells it.
public enum PostgresSSLMode: String, Hashable, Sendable, CaseIterable {
    /// Never TLS.
    case disable
    /// TLS when the server offers it, unverified (libpq's default over TCP).
    case prefer
    /// TLS required, the certificate not verified.
    case require
    /// TLS required, the certificate verified against `sslrootcert`, not the host name.
    case verifyCA = "verify-ca"
    /// TLS required, the certificate and the host name verified.
    case verifyFull = "verify-full"
}

/// A PostgreSQL server and database: `postgresql://USER@HOST[:PORT]/DATABASE?sslmode=…`, or
/// over a unix socket, `postgresql://USER@/DATABASE?host=/run/postgresql` (the directory of
/// the socket `.s.PGSQL.PORT`, as libpq reads it). Holds the path of the password file,
/// never a password.
public struct PostgresTarget: Hashable, Sendable, CustomStringConvertible {
    /// The role to log in as.
    public var user: String
    /// Host name or address for TCP; `nil` with a socket directory.
    public var host: String?
    /// TCP port, or the number in the socket's name.
    public var port: Int
    /// The directory of the server's unix socket, when connecting over one.
    public var socketDirectory: String?
    /// The database.
    public var database: String
    /// TLS over TCP (ignored on a unix socket).
    public var sslMode: PostgresSSLMode
    /// CA certificates (PEM) for `verify-ca`/`verify-full`; the system's trust store when `nil`.
    public var sslRootCert: String?
    /// The file holding the password (its first line), when the server asks for one.
    public var passwordFile: String?

    /// Creates a target.
    public init(user: String, host: String? = nil, port: Int = 5432, socketDirectory: String? = nil, database: String,
                sslMode: PostgresSSLMode = .prefer, sslRootCert: String? = nil, passwordFile: String? = nil) {
        self.user = user
        self.host = host
        self.port = port
        self.socketDirectory = socketDirectory
        self.database = database
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
        self.passwordFile = passwordFile
    }

    /// The unix socket's path, when connecting over one.
    public var socketPath: String? { socketDirectory.map { "\($0)/.s.PGSQL.\(port)" } }

    /// `postgresql://sriovctl@db.example:5432/sriovctl` (no password, no query).
    public var description: String {
        if let socketDirectory { return "postgresql://\(user)@/\(database)?host=\(socketDirectory)" }
        return "postgresql://\(user)@\(host ?? "")\(port == 5432 ? "" : ":\(port)")/\(database)"
    }

    /// Parses a `postgresql://` URL; see the type's documentation.
    public init(parsing url: String, passwordFile: String? = nil) throws(SRIOVError) {
        let rest = url.hasPrefix("postgresql://") ? url.dropFirst("postgresql://".count) : url.dropFirst("postgres://".count)
        let (authorityAndPath, query) = Self.split(String(rest), at: "?")
        let (authority, databasePart) = Self.split(authorityAndPath, at: "/")
        guard let at = authority.lastIndex(of: "@") else {
            throw SRIOVError(.invalidConfig, "state url: name the role to log in as: postgresql://USER@HOST/DATABASE")
        }
        let userInfo = String(authority[..<at])
        let hostPort = String(authority[authority.index(after: at)...])
        guard !userInfo.contains(":") else {
            // Not echoed: the text after the colon is a password.
            throw SRIOVError(.invalidConfig, "state url: a password does not belong in the url; put it in the file that "
                             + "password_file: names (0600)")
        }
        let user = try Self.decoded(userInfo, what: "user")
        guard !user.isEmpty else { throw SRIOVError(.invalidConfig, "state url: the user is empty") }
        var host: String?
        var port = 5432
        if !hostPort.isEmpty {
            let (name, portText) = hostPort.hasPrefix("[")
                ? Self.splitBracketed(hostPort) : Self.split(hostPort, at: ":")
            host = try Self.decoded(name, what: "host")
            if !portText.isEmpty {
                guard let number = Int(portText), (1...65_535).contains(number) else {
                    throw SRIOVError(.invalidConfig, "state url: port '\(TextRules.escaped(portText))' is not 1-65535")
                }
                port = number
            }
        }
        let database = try Self.decoded(databasePart, what: "database")
        guard !database.isEmpty else {
            throw SRIOVError(.invalidConfig, "state url: name the database: postgresql://USER@HOST/DATABASE")
        }
        var socketDirectory: String?
        var sslMode = PostgresSSLMode.prefer
        var sslRootCert: String?
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let (key, rawValue) = Self.split(String(pair), at: "=")
            let value = try Self.decoded(rawValue, what: key)
            switch key {
            case "host":
                guard value.hasPrefix("/") else {
                    throw SRIOVError(.invalidConfig, "state url: host= in the query names a socket directory (absolute path)")
                }
                socketDirectory = value
            case "port":
                guard let number = Int(value), (1...65_535).contains(number) else {
                    throw SRIOVError(.invalidConfig, "state url: port '\(TextRules.escaped(value))' is not 1-65535")
                }
                port = number
            case "sslmode":
                guard let mode = PostgresSSLMode(rawValue: value) else {
                    throw SRIOVError(.invalidConfig, "state url: sslmode '\(TextRules.escaped(value))' is not one of "
                                     + PostgresSSLMode.allCases.map(\.rawValue).joined(separator: ", "))
                }
                sslMode = mode
            case "sslrootcert":
                guard value.hasPrefix("/") else {
                    throw SRIOVError(.invalidConfig, "state url: sslrootcert must be an absolute path")
                }
                sslRootCert = value
            case "password":
                throw SRIOVError(.invalidConfig, "state url: a password does not belong in the url; put it in the file "
                                 + "that password_file: names (0600)")
            default:
                throw SRIOVError(.invalidConfig, "state url: unknown parameter '\(TextRules.escaped(key))' "
                                 + "(known: host, port, sslmode, sslrootcert)")
            }
        }
        if socketDirectory == nil && host == nil {
            throw SRIOVError(.invalidConfig, "state url: name a host (postgresql://USER@HOST/DATABASE) or a socket "
                             + "directory (postgresql://USER@/DATABASE?host=/run/postgresql)")
        }
        if let passwordFile, !passwordFile.hasPrefix("/") {
            throw SRIOVError(.invalidConfig, "state: password_file must be an absolute path")
        }
        self.init(user: user, host: socketDirectory == nil ? host : nil, port: port, socketDirectory: socketDirectory,
                  database: database, sslMode: sslMode, sslRootCert: sslRootCert, passwordFile: passwordFile)
    }

    private static func split(_ text: String, at separator: Character) -> (String, String) {
        guard let i = text.firstIndex(of: separator) else { return (text, "") }
        return (String(text[..<i]), String(text[text.index(after: i)...]))
    }

    private static func splitBracketed(_ text: String) -> (String, String) {
        guard let close = text.firstIndex(of: "]") else { return (text, "") }
        let name = String(text[text.index(after: text.startIndex)..<close])
        let after = text[text.index(after: close)...]
        return (name, after.hasPrefix(":") ? String(after.dropFirst()) : "")
    }

    /// Percent-decoding, refusing malformed escapes and control characters.
    private static func decoded(_ text: String, what: String) throws(SRIOVError) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%") {
                guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else {
                    throw SRIOVError(.invalidConfig, "state url: a malformed %-escape in the \(what)")
                }
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        guard !bytes.contains(where: { $0 < 0x20 || $0 == 0x7f }) else {
            throw SRIOVError(.invalidConfig, "state url: the \(what) holds a control character")
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
