// libFuzzer target: the datagrams `sriovctl agent` reads from its two kernel event sockets.
// The first byte chooses the parser (even: an RTNLGRP_LINK datagram through
// LinkNotificationParser; odd: a NETLINK_KOBJECT_UEVENT datagram through UeventParser); the
// rest is the datagram. Built only by `make fuzz` (docs/fuzzing.md).
#if FUZZING
import SRIOVLinux

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKernelEvents(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    if data[0] % 2 == 0 {
        _ = LinkNotificationParser.parse(bytes)
    } else {
        _ = UeventParser.parse(bytes)
    }
    return 0
}
#else
/// Without `-DFUZZING` (a plain `swift build`) this is a stub that says how to build it.
@main
enum FuzzKernelEvents {
    static func main() {
        print("FuzzKernelEvents is a libFuzzer target: run `make fuzz` (docs/fuzzing.md)")
    }
}
#endif
