import CNetlink
public import SRIOVCore

/// One netlink message, owning its libnl `struct nl_msg` (freed in `deinit`).
///
/// Requests are built with libnl's core message API one attribute at a time
/// (`nlmsg_alloc_simple`, `nlmsg_append`, `nla_put`, `nla_nest_start`/`nla_nest_end`),
/// as libvirt does. Replies are copied into one with `nlmsg_convert` so that they are
/// parsed with the same code whether they came from the kernel or from a test's bytes.
final class NetlinkMessage {
    /// The owned libnl message; never escapes this class.
    private let msg: OpaquePointer

    /// A new, empty request of `type` (`RTM_GETLINK`...) with `flags` (`NLM_F_REQUEST`...),
    /// with room for `capacity` bytes (libnl's default is one page; a 256-VF request needs
    /// more).
    ///
    /// Sequence number and port are left 0, which `nl_send_auto` fills in.
    init(type: Int32, flags: Int32, capacity: Int = 0) throws(SRIOVError) {
        let allocated = capacity <= 4096 ? nlmsg_alloc_simple(type, flags) : nlmsg_alloc_size(capacity)
        guard let msg = allocated else {
            throw SRIOVError(.system, "netlink: out of memory allocating a message")
        }
        self.msg = msg
        if capacity > 4096 && nlmsg_put(msg, UInt32(NL_AUTO_PORT), UInt32(NL_AUTO_SEQ), type, 0, flags) == nil {
            throw SRIOVError(.system, "netlink: cannot write a message header")
        }
    }

    /// A copy of the message that starts at `header` (its `nlmsg_len` says how long it is),
    /// marked as a NETLINK_ROUTE message.
    init(copying header: UnsafeMutablePointer<nlmsghdr>) throws(SRIOVError) {
        guard let msg = nlmsg_convert(header) else {
            throw SRIOVError(.system, "netlink: out of memory copying a reply")
        }
        nlmsg_set_proto(msg, NETLINK_ROUTE)
        self.msg = msg
    }

    /// A message made of raw bytes (a test's reply, a recorded exchange), copied with
    /// `nlmsg_convert`. `nil` when the bytes do not start with a complete netlink header
    /// whose length fits them.
    init?(bytes: [UInt8]) {
        guard bytes.count >= MemoryLayout<nlmsghdr>.size else { return nil }
        var copy = bytes
        let length = copy.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }
        guard length >= UInt32(MemoryLayout<nlmsghdr>.size), Int(length) <= bytes.count else { return nil }
        let converted: OpaquePointer? = copy.withUnsafeMutableBytes { raw in
            nlmsg_convert(raw.baseAddress!.assumingMemoryBound(to: nlmsghdr.self))
        }
        guard let converted else { return nil }
        nlmsg_set_proto(converted, NETLINK_ROUTE)
        self.msg = converted
    }

    deinit { nlmsg_free(msg) }

    // MARK: Building

    /// Appends a fixed header (`ifinfomsg`) right after the netlink header.
    func appendHeader<T>(_ value: T) throws(SRIOVError) {
        var copy = value
        let status = withUnsafeMutableBytes(of: &copy) { raw in
            nlmsg_append(msg, raw.baseAddress, raw.count, Int32(NLMSG_ALIGNTO))
        }
        if status < 0 { throw Self.full("header") }
    }

    /// Appends attribute `type` carrying `payload`.
    func put(_ type: Int, _ payload: [UInt8]) throws(SRIOVError) {
        let status = payload.withUnsafeBytes { raw in
            nla_put(msg, Int32(type), Int32(raw.count), raw.baseAddress)
        }
        if status < 0 { throw Self.full("attribute \(type)") }
    }

    /// Appends a nested attribute `type` whose content `body` appends.
    ///
    /// Throws when the nest would exceed the 16-bit attribute length (65535 bytes)
    /// rather than let the length wrap as the kernel's does.
    func nest(_ type: Int, _ body: (NetlinkMessage) throws(SRIOVError) -> Void) throws(SRIOVError) {
        guard let start = nla_nest_start(msg, Int32(type)) else { throw Self.full("nest \(type)") }
        let startOffset = UnsafeRawPointer(start) - UnsafeRawPointer(nlmsg_hdr(msg)!)
        try body(self)
        let length = Int(nlmsg_hdr(msg)!.pointee.nlmsg_len) - startOffset
        guard length <= Int(UInt16.max) else {
            throw SRIOVError(.system, "netlink: nested attribute \(type) is \(length) bytes, above 65535")
        }
        if nla_nest_end(msg, start) < 0 { throw Self.full("nest \(type)") }
    }

    private static func full(_ what: String) -> SRIOVError {
        SRIOVError(.system, "netlink: cannot add \(what) to the message (out of room)")
    }

    // MARK: Reading

    /// The whole message as bytes (header, fixed header, attributes).
    var bytes: [UInt8] {
        let header = nlmsg_hdr(msg)!
        let length = Int(header.pointee.nlmsg_len)
        return Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(header), count: length))
    }

    /// `nlmsg_type`.
    var type: Int { Int(nlmsg_hdr(msg)!.pointee.nlmsg_type) }

    /// `nlmsg_flags`.
    var flags: Int { Int(nlmsg_hdr(msg)!.pointee.nlmsg_flags) }

    /// `nlmsg_seq`.
    var sequence: UInt32 { nlmsg_hdr(msg)!.pointee.nlmsg_seq }

    /// Runs `body` over the payload after the netlink header (the fixed header and
    /// attributes), bounded by `nlmsg_len`.
    func withPayload<R>(_ body: (UnsafeRawBufferPointer) throws(SRIOVError) -> R) throws(SRIOVError) -> R {
        let header = nlmsg_hdr(msg)!
        let length = nlmsg_datalen(header)
        let buffer = UnsafeRawBufferPointer(start: nlmsg_data(header), count: Int(max(length, 0)))
        return try body(buffer)
    }

    /// Runs `body` over the libnl header pointer (for libnl's own helpers).
    func withHeader<R>(_ body: (UnsafeMutablePointer<nlmsghdr>) throws(SRIOVError) -> R) throws(SRIOVError) -> R {
        try body(nlmsg_hdr(msg)!)
    }

    /// Runs `body` with the owned libnl message, which must not escape it: for
    /// ``RouteSocket``, the one place that sends and receives.
    func withLibnlMessage<R>(_ body: (OpaquePointer) -> R) -> R {
        body(msg)
    }
}
