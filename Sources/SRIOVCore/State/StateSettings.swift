/// The config's `state:` section: where the state database is, and who this host is in a
/// fleet that shares one (docs/state.md).
///
/// ```yaml
/// state:
///   url: "postgresql://sriovctl@db.example/sriovctl?sslmode=verify-full&sslrootcert=/etc/sriovctl/db-ca.pem"
///   password_file: /etc/sriovctl/db-password   # 0600; first line
///   host_id: 8d2c…                             # default: /etc/machine-id
///   local_dir: /var/lib/sriovctl               # this host's operation lock (and cache) with a fleet store
/// ```
public struct StateSettings: Hashable, Sendable, Codable {
    /// The url as written (checked when the config was loaded).
    public var url: String
    /// The password file for a PostgreSQL url.
    public var passwordFile: String?
    /// This host's id in the fleet; `nil`: `/etc/machine-id`.
    public var hostID: String?
    /// Where this host keeps its operation lock (and cache) when the store is not a local file.
    public var localDirectory: String

    /// The default `local_dir`.
    public static let defaultLocalDirectory = "/var/lib/sriovctl"

    /// Creates settings, checking the url.
    public init(url: String, passwordFile: String? = nil, hostID: String? = nil,
                localDirectory: String = StateSettings.defaultLocalDirectory) throws(SRIOVError) {
        _ = try StateStoreURL(parsing: url, passwordFile: passwordFile)
        self.url = url
        self.passwordFile = passwordFile
        self.hostID = hostID
        self.localDirectory = localDirectory
    }

    /// The parsed url.
    public var location: StateStoreURL {
        // Checked in init; a config decoded from elsewhere falls back to the default file.
        (try? StateStoreURL(parsing: url, passwordFile: passwordFile)) ?? .sqlite(path: StateStoreURL.defaultSQLitePath)
    }
}
