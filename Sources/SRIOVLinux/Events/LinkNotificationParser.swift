public import SRIOVCore

/// Reads the rtnetlink messages of one `RTNLGRP_LINK` datagram into ``PFEvent``s: each
/// RTM_NEWLINK / RTM_DELLINK names an interface (`IFLA_IFNAME`), which the agent maps to a PF.
///
/// Only the header, `struct ifinfomsg` and the `IFLA_IFNAME` attribute are read. The bytes
/// come from the kernel but are treated as untrusted: every length is checked against the
/// datagram before anything is read, and a message that does not fit ends the parse with
/// ``Result/malformed`` (counted as a netlink error; the agent then looks at every PF).
public enum LinkNotificationParser {
    /// What a datagram held.
    public struct Result: Hashable, Sendable {
        /// The link events, in order.
        public var events: [PFEvent]
        /// Messages that could not be read (bad length, short ifinfomsg, bad attribute).
        public var malformed: Int

        /// Creates a result.
        public init(events: [PFEvent] = [], malformed: Int = 0) {
            self.events = events
            self.malformed = malformed
        }
    }

    static let headerLength = 16
    static let ifinfoLength = 16
    static let newLink: UInt16 = 16      // RTM_NEWLINK
    static let delLink: UInt16 = 17      // RTM_DELLINK
    static let ifName: UInt16 = 3        // IFLA_IFNAME
    static let noop: UInt16 = 1, error: UInt16 = 2, done: UInt16 = 3, overrun: UInt16 = 4

    /// Parses one datagram.
    public static func parse(_ bytes: [UInt8]) -> Result {
        var result = Result()
        var offset = 0
        while bytes.count - offset >= headerLength {
            let length = Int(readU32(bytes, offset))
            let type = readU16(bytes, offset + 4)
            guard length >= headerLength, length <= bytes.count - offset else {
                result.malformed += 1
                return result
            }
            let body = offset + headerLength
            let end = offset + length
            switch type {
            case newLink, delLink:
                if let event = linkEvent(bytes, body: body, end: end, removed: type == delLink) {
                    result.events.append(event)
                } else {
                    result.malformed += 1
                }
            case noop, done, error, overrun:
                break
            default:
                break   // another group's message: not ours
            }
            offset += align4(length)
        }
        if offset < bytes.count { result.malformed += 1 }   // trailing bytes too short for a header
        return result
    }

    private static func linkEvent(_ bytes: [UInt8], body: Int, end: Int, removed: Bool) -> PFEvent? {
        guard end - body >= ifinfoLength else { return nil }
        let change = readU32(bytes, body + 12)
        var offset = body + ifinfoLength
        var name: String?
        while end - offset >= 4 {
            let attrLength = Int(readU16(bytes, offset))
            let attrType = readU16(bytes, offset + 2) & 0x3fff   // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
            guard attrLength >= 4, attrLength <= end - offset else { return nil }
            if attrType == ifName {
                var value = Array(bytes[(offset + 4)..<(offset + attrLength)])
                if let nul = value.firstIndex(of: 0) { value = Array(value[..<nul]) }
                guard !value.isEmpty, value.count < 16, let text = String(validating: value, as: UTF8.self),
                      TextRules.firstForbiddenInName(text) == nil, !text.contains("/") else { return nil }
                name = text
            }
            offset += align4(attrLength)
        }
        guard let name else { return nil }
        let kind: PFEvent.Change = removed ? .removed : (change == 0xffff_ffff ? .added : .changed)
        return PFEvent(subject: .netdev(name), change: kind)
    }

    static func align4(_ n: Int) -> Int { (n + 3) & ~3 }

    // Netlink headers and attributes are in host byte order; Linux on x86-64 and arm64 is little-endian.
    static func readU16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func readU32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
