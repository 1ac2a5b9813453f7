public import SRIOVCore
import Synchronization

/// The one netlink socket of an ``RTNetlinkVFControl`` and its copies: opened by the first
/// request that needs it and kept until the last copy is gone.
///
/// Requests on it are serialised (one exchange at a time), because answers are matched to
/// requests by sequence number on a single socket. A socket that could not be opened is
/// tried again on the next request; one whose exchange failed is kept (a kernel refusal is
/// an answer, not a broken socket).
final class SharedRouteSocket: Sendable {
    private let transport = Mutex<(any NetlinkTransport)?>(nil)
    private let open: @Sendable () throws(SRIOVError) -> any NetlinkTransport

    init(open: @escaping @Sendable () throws(SRIOVError) -> any NetlinkTransport) {
        self.open = open
    }

    /// Runs `body` with the socket, opening it first when this is the first use.
    func using<R: Sendable>(_ body: (any NetlinkTransport) throws(SRIOVError) -> R) throws(SRIOVError) -> R {
        try transport.withLock { (current) throws(SRIOVError) -> R in
            if let current { return try body(current) }
            let opened = try open()
            current = opened
            return try body(opened)
        }
    }
}
