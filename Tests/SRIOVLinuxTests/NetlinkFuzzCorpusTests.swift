import Foundation
import CNetlink
import SRIOVCore
import SRIOVTesting
import Testing
@testable import SRIOVLinux

/// The FuzzLinkReply corpus (Fuzz/corpus/FuzzLinkReply: seeds written like
/// ``KernelReply`` and inputs fuzzing found) replayed through the same steps as the fuzz
/// target, so a fixed crash stays fixed in a plain `swift test` (debug build, where
/// unsafe-buffer bounds are checked too).
@Suite("Netlink fuzz corpus")
struct NetlinkFuzzCorpusTests {
    /// What FuzzLinkReply does with one input: walk the datagram's messages, read any
    /// NLMSG_ERROR, parse the first message as an RTM_NEWLINK reply.
    private static func replay(_ bytes: [UInt8]) -> Result<LinkReply, SRIOVError>? {
        _ = RouteSocket.errorCodes(inDatagram: bytes)
        guard let message = NetlinkMessage(bytes: bytes) else { return nil }
        return Result { () throws(SRIOVError) in try LinkReplyParser.parse(message, requested: "eth0") }
    }

    @Test("Every input of the corpus parses or is refused with an error; none crashes")
    func corpus() {
        let inputs = FuzzCorpus.inputs("FuzzLinkReply")
        #expect(inputs.count >= 10)
        for input in inputs {
            _ = Self.replay(input.bytes)
        }
    }

    @Test("The seeds read as the kernel fixtures they were written from")
    func seeds() throws {
        func vfCount(_ name: String) throws -> Int {
            let bytes = try #require(FuzzCorpus.input("FuzzLinkReply", name))
            return try #require(Self.replay(bytes)).get().status.vfs.count
        }
        #expect(try vfCount("pf-400-vfs-wrapped-list.bin") == 400)
        #expect(try vfCount("pf-two-vfs-8021ad.bin") == 2)
        #expect(try vfCount("pf-no-vfs.bin") == 0)
        let error = try #require(FuzzCorpus.input("FuzzLinkReply", "error-ebusy-extack.bin"))
        let code = error.withUnsafeBytes { raw in
            RouteSocket.errorCode(UnsafeMutablePointer(mutating: raw.baseAddress!.assumingMemoryBound(to: nlmsghdr.self)))
        }
        #expect(code.0 == 16 && code.1 == "VF is busy")
    }

    @Test("A wrapped VF list that ends inside its last entry's padding is an error, not a read past the message")
    func listEndsInsidePadding() throws {
        // 400 VFs, the list last, the last entry declared 193 bytes long and the message cut
        // 3 bytes short: the entry walk used to step past the buffer (a bounds trap in debug).
        let bytes = try #require(FuzzCorpus.input("FuzzLinkReply", "regression-vf-list-ends-unaligned.bin"))
        let result = try #require(Self.replay(bytes))
        let error = #expect(throws: SRIOVError.self) { try result.get() }
        #expect(error?.message.contains("of 400 VFs in one netlink message") == true)
    }

    @Test("An NLMSG_ERROR whose error is not 0 or a negative errno (Int32.min, positive) reads as EPROTO, not a trap")
    func errorOutsideErrnoRange() throws {
        func code(_ error: UInt32) -> Int32 {
            var bytes = KernelReply.error(1)
            withUnsafeBytes(of: error) { bytes.replaceSubrange(16..<20, with: $0) }
            return bytes.withUnsafeMutableBytes { raw in
                RouteSocket.errorCode(raw.baseAddress!.assumingMemoryBound(to: nlmsghdr.self)).0
            }
        }
        #expect(code(0x8000_0000) == EPROTO)   // Int32.min: negating it trapped
        #expect(code(5) == EPROTO)
        #expect(code(UInt32(bitPattern: -16)) == 16)
        #expect(code(0) == 0)
        // The input fuzzing found: a capped, TLV-carrying error with Int32.min.
        let found = try #require(FuzzCorpus.input("FuzzLinkReply", "regression-fuzzer-crash-error-int32-min.bin"))
        _ = Self.replay(found)
    }
}
