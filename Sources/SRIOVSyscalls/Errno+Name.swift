internal import Glibc
public import SystemPackage

package extension Errno {
    /// `EBUSY (Device or resource busy)`: the symbolic name people search for, then
    /// `strerror`'s text (swift-system's ``description``); the text alone for the errnos not
    /// named here.
    var nameAndDescription: String {
        Self.names[rawValue].map { "\($0) (\(description))" } ?? description
    }

    /// `strerror`'s text for an errno number (`Device or resource busy`).
    static func describe(_ code: Int32) -> String { Errno(rawValue: code).description }

    /// The symbolic names of the errnos sysfs, netlink and the state files answer with.
    private static let names: [Int32: String] = [
        Glibc.EPERM: "EPERM", Glibc.ENOENT: "ENOENT", Glibc.EIO: "EIO", Glibc.ENXIO: "ENXIO", Glibc.EAGAIN: "EAGAIN", Glibc.ENOMEM: "ENOMEM",
        Glibc.EACCES: "EACCES", Glibc.EBUSY: "EBUSY", Glibc.EEXIST: "EEXIST", Glibc.ENODEV: "ENODEV", Glibc.EINVAL: "EINVAL", Glibc.ENOSPC: "ENOSPC",
        Glibc.EROFS: "EROFS", Glibc.ERANGE: "ERANGE", Glibc.EOPNOTSUPP: "EOPNOTSUPP",
    ]
}
