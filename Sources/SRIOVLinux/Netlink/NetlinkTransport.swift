import SRIOVCore

/// The kernel said no, or the socket failed: what went wrong on one request.
struct NetlinkFailure: Error, Sendable {
    /// The positive errno (`ENODEV`, `EOPNOTSUPP`, `EINVAL`...).
    var errno: Int32
    /// The kernel's extended-ACK message (`NLMSGERR_ATTR_MSG`), when it sent one.
    var extAck: String?
    /// Set when the failure is the socket's rather than the kernel's answer.
    var socketError: String?
    /// The error behind a failure that is not the kernel's answer (the request could not be
    /// built or sent), kept as it was.
    var cause: SRIOVError?
}

/// Sends one rtnetlink request and returns its answer. The real one is ``RouteSocket``;
/// tests pass a fake that records requests and replays replies.
protocol NetlinkTransport: AnyObject {
    /// Sends `request` and waits for its answer: the reply message for a `GET`, `nil` for
    /// an acknowledged request. Throws the kernel's error (`NLMSG_ERROR` with a negative
    /// code) or a socket failure.
    func exchange(_ request: NetlinkMessage) throws(NetlinkFailure) -> NetlinkMessage?
}
