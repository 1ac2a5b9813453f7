// libFuzzer target: raw rtnetlink reply bytes, as a kernel or a hostile peer socket sends
// them, through what sriovctl does with a datagram: walk its messages (nlmsg_ok/nlmsg_next),
// read an NLMSG_ERROR's errno and extended ACK, and parse an RTM_NEWLINK into a PF and its
// VFs (LinkReplyParser, VFInfoListExtent). Built only by `make fuzz` (docs/fuzzing.md).
#if FUZZING
import CNetlink
@testable import SRIOVLinux

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLinkReply(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The datagram walk of RouteSocket.exchange, on a copy that libnl may read freely.
    _ = RouteSocket.errorCodes(inDatagram: bytes)
    // The first message as a reply to RTM_GETLINK.
    if let message = NetlinkMessage(bytes: bytes) {
        _ = try? LinkReplyParser.parse(message, requested: "eth0")
    }
    return 0
}
#else
/// Without `-DFUZZING` (a plain `swift build`) this is a stub that says how to build it.
@main
enum FuzzLinkReply {
    static func main() {
        print("FuzzLinkReply is a libFuzzer target: run `make fuzz` (docs/fuzzing.md)")
    }
}
#endif
