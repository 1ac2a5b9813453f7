import CNetlink
public import SRIOVCore
import Glibc

/// A connected `NETLINK_ROUTE` socket, owning its libnl `struct nl_sock` (freed in
/// `deinit`): the one place that sends requests and receives answers.
///
/// Receives with libnl's default `MSG_PEEK` sizing (never `nl_socket_set_msg_buf_size`,
/// which turns it off and truncates large replies), asks the kernel for extended ACKs
/// and caps ACKs to the header.
final class RouteSocket: NetlinkTransport {
    /// The owned libnl socket; never escapes this class.
    private let sock: OpaquePointer

    /// Opens and connects the socket.
    init() throws(SRIOVError) {
        guard let sock = nl_socket_alloc() else {
            throw SRIOVError(.system, "netlink: out of memory allocating a socket")
        }
        self.sock = sock
        // Flags are set per message; sequence numbers come from the socket.
        nl_socket_disable_auto_ack(sock)
        nl_socket_enable_msg_peek(sock)
        let status = nl_connect(sock, NETLINK_ROUTE)
        if status < 0 {
            throw SRIOVError(.system, "netlink: cannot open a NETLINK_ROUTE socket: \(Self.describe(status))")
        }
        _ = nl_socket_set_buffer_size(sock, 1 << 20, 1 << 20)
        let fd = nl_socket_get_fd(sock)
        var on: Int32 = 1
        // Best effort: kernels before 4.12 have no extended ACK.
        _ = setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { nl_socket_free(sock) }

    func exchange(_ request: NetlinkMessage) throws(NetlinkFailure) -> NetlinkMessage? {
        // libnl's nl_send_auto fills in the port and the socket's next sequence number.
        let sent = request.withLibnlMessage { nl_send_auto(sock, $0) }
        if sent < 0 {
            throw NetlinkFailure(errno: Self.errno(fromLibnl: sent), socketError: "sending: \(Self.describe(sent))")
        }
        // nl_send_auto wrote the sequence number into the request.
        let sequence = request.sequence
        let wantsAck = request.flags & Int(RTNL.flagAck) != 0
        var reply: NetlinkMessage?
        while true {
            let datagram = try ReceivedDatagram(from: sock)
            var remaining = Int32(datagram.count)
            var header: UnsafeMutablePointer<nlmsghdr>? = datagram.start
            while let current = header, nlmsg_ok(current, remaining) != 0 {
                defer { header = nlmsg_next(current, &remaining) }
                guard current.pointee.nlmsg_seq == sequence else { continue }  // a stale answer
                let type = Int(current.pointee.nlmsg_type)
                if type == RTNL.messageError {
                    let (code, extAck) = Self.errorCode(current)
                    if code != 0 { throw NetlinkFailure(errno: code, extAck: extAck) }
                    return reply  // the ACK
                }
                if type == RTNL.messageDone { return reply }
                if reply == nil {
                    do { reply = try NetlinkMessage(copying: current) } catch {
                        throw NetlinkFailure(errno: error.errno ?? ENOMEM, socketError: error.message, cause: error)
                    }
                }
                if !wantsAck && Int(current.pointee.nlmsg_flags) & RTNL.flagMulti == 0 { return reply }
            }
        }
    }

    /// Walks the messages of one received datagram (`nlmsg_ok`/`nlmsg_next`, on a copy libnl
    /// may read freely) and reads every `NLMSG_ERROR`'s errno: what ``exchange(_:)`` does with
    /// a datagram, for the fuzz target and its corpus test.
    static func errorCodes(inDatagram bytes: [UInt8]) -> [(Int32, String?)] {
        var codes: [(Int32, String?)] = []
        var datagram = bytes
        datagram.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            var remaining = Int32(raw.count)
            var header: UnsafeMutablePointer<nlmsghdr>? = base.assumingMemoryBound(to: nlmsghdr.self)
            while let current = header, nlmsg_ok(current, remaining) != 0 {
                if Int(current.pointee.nlmsg_type) == RTNL.messageError { codes.append(errorCode(current)) }
                header = nlmsg_next(current, &remaining)
            }
        }
        return codes
    }

    /// The positive errno and extended-ACK message of an `NLMSG_ERROR` message.
    static func errorCode(_ header: UnsafeMutablePointer<nlmsghdr>) -> (Int32, String?) {
        let length = Int(header.pointee.nlmsg_len) - MemoryLayout<nlmsghdr>.size
        let data = UnsafeRawBufferPointer(start: nlmsg_data(header), count: max(length, 0))
        guard data.count >= MemoryLayout<nlmsgerr>.size else { return (EPROTO, nil) }
        // 0 (an ACK) or a negative errno; anything else (Int32.min cannot even be negated)
        // comes from a broken or hostile peer.
        let raw = data.loadUnaligned(as: Int32.self)
        let code = raw == 0 ? 0 : (raw < 0 && raw != .min ? -raw : EPROTO)
        var extAck: String?
        let flags = Int(header.pointee.nlmsg_flags)
        if flags & RTNL.flagAckTLVs != 0 {
            // struct nlmsgerr, then the original request unless capped, then TLVs.
            var offset = MemoryLayout<nlmsgerr>.size
            if flags & RTNL.flagCapped == 0 {
                let original = Int(data.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                offset += NetlinkPayload.aligned(original) - MemoryLayout<nlmsghdr>.size
            }
            if offset < data.count {
                let tlvs = UnsafeRawBufferPointer(rebasing: data[offset...])
                extAck = NetlinkAttributeList(tlvs).first { $0.type == RTNL.extAckMessage }?.string
            }
        }
        return (code, extAck?.isEmpty == true ? nil : extAck)
    }

    /// libnl's text for a (negative) libnl error code.
    static func describe(_ libnlError: Int32) -> String {
        String(cString: nl_geterror(libnlError))
    }

    /// The errno closest to a (negative) libnl error code.
    static func errno(fromLibnl code: Int32) -> Int32 {
        switch -code {
        case NLE_NOMEM: ENOMEM
        case NLE_PERM: EPERM
        case NLE_NODEV: ENODEV
        case NLE_OPNOTSUPP: EOPNOTSUPP
        case NLE_INVAL: EINVAL
        case NLE_BUSY: EBUSY
        case NLE_AGAIN: EAGAIN
        case NLE_MSGSIZE: EMSGSIZE
        default: EIO
        }
    }
}

/// One datagram read with `nl_recv`, owning the buffer libnl allocated for it (freed in
/// `deinit`).
final class ReceivedDatagram {
    /// The owned buffer.
    private let buffer: UnsafeMutablePointer<UInt8>
    /// Its length in bytes.
    let count: Int

    /// Receives one datagram (blocking), retrying on EINTR.
    init(from sock: OpaquePointer) throws(NetlinkFailure) {
        var peer = sockaddr_nl()
        var data: UnsafeMutablePointer<UInt8>?
        var received: Int32
        repeat {
            received = nl_recv(sock, &peer, &data, nil)
        } while received == -NLE_INTR
        guard received > 0, let data else {
            if let data { free(data) }
            let code = received == 0 ? -NLE_AGAIN : received
            throw NetlinkFailure(errno: RouteSocket.errno(fromLibnl: code),
                                 socketError: "receiving: \(RouteSocket.describe(code))")
        }
        self.buffer = data
        self.count = Int(received)
    }

    deinit { free(buffer) }

    /// The first message header.
    var start: UnsafeMutablePointer<nlmsghdr> {
        UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: nlmsghdr.self)
    }
}
