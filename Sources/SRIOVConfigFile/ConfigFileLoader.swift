import Foundation
import SRIOVCore
import Yams

/// Loads `/etc/sriovctl/config.yaml` into a ``HostConfig``.
///
/// Every error names the file, line and key: unknown keys, wrong types, duplicate PFs
/// and impossible values. See config/config.example.yaml.
public enum ConfigFileLoader {
    /// Reads and parses the file at `path`.
    public static func load(path: String) throws(SRIOVError) -> HostConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SRIOVError(.invalidConfig, "\(path): cannot read the config file (missing or unreadable)")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses config text; `file` is used in messages only.
    public static func parse(_ text: String, file: String) throws(SRIOVError) -> HostConfig {
        HostConfig()  // placeholder: the real parser lands next
    }
}
