/// What a path is, from the type bits of its `st_mode` (`S_IFMT`), for messages that say
/// what sriovctl found where it refuses to write or read ("is a FIFO (named pipe)").
///
/// Pure: the caller does the `lstat`. The bit values are the POSIX/Linux ones.
public enum FileKind: Sendable, Hashable {
    case regular, directory, symbolicLink, fifo, characterDevice, blockDevice, socket, unknown

    /// The kind of a file whose `st_mode` is `mode`.
    public init(mode: UInt32) {
        switch mode & 0o170000 {
        case 0o100000: self = .regular
        case 0o040000: self = .directory
        case 0o120000: self = .symbolicLink
        case 0o010000: self = .fifo
        case 0o020000: self = .characterDevice
        case 0o060000: self = .blockDevice
        case 0o140000: self = .socket
        default: self = .unknown
        }
    }

    /// "a directory", "a FIFO (named pipe)", ... for "PATH is a directory".
    public var phrase: String {
        switch self {
        case .regular: "a regular file"
        case .directory: "a directory"
        case .symbolicLink: "a symbolic link"
        case .fifo: "a FIFO (named pipe)"
        case .characterDevice: "a character device"
        case .blockDevice: "a block device"
        case .socket: "a socket"
        case .unknown: "not a regular file"
        }
    }
}
