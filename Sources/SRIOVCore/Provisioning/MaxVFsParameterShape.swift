/// The form of a driver's `max_vfs` module parameter.
public enum MaxVFsParameterShape: String, Hashable, Sendable, Codable {
    /// An array: one value per port, in PCI address order (`max_vfs=7,7`).
    case perPort = "per-port"
    /// One value for every port (`max_vfs=7`).
    case single
    /// Could not be told (no `modinfo`); treated as per-port.
    case unknown
}
