/// Where an `IFLA_VFINFO_LIST` really ends, when its 16-bit length has wrapped.
///
/// The kernel builds the whole list (one `IFLA_VF_INFO` per VF, in one message of any
/// size) but stores the nest's length in 16 bits, so past 65535 bytes (about 334 VFs
/// without stats) the stated length is the real one minus a multiple of 65536. Each
/// entry's own length is right, so the list can be walked entry by entry; the walk is
/// trusted only when it ends exactly where the stated length says modulo 65536, which a
/// misread cannot do by chance. `iproute2` trusts the stated length and prints
/// "Truncated VF list".
enum VFInfoListExtent {
    /// The entries of the list and the offset of the attribute after it.
    struct Walk {
        var entries: NetlinkAttributeList
        var nextOffset: Int
    }

    /// The list attribute `stated` starts at `offset` in `buffer`; `expected` is
    /// `IFLA_NUM_VF` when it came first (the kernel sends it just before the list).
    static func entries(in buffer: UnsafeRawBufferPointer, at offset: Int, stated: NetlinkAttribute,
                        expected: Int?) -> Walk {
        let statedLength = 4 + stated.payload.count
        let asStated = Walk(entries: stated.nested, nextOffset: offset + NetlinkPayload.aligned(statedLength))
        guard let expected, expected > 0 else { return asStated }
        // Walk entry by entry from the list's first entry, as long as entries are IFLA_VF_INFO.
        var position = offset + 4
        var count = 0
        while count < expected, buffer.count - position >= 4 {
            let length = Int(buffer.loadUnaligned(fromByteOffset: position, as: UInt16.self))
            let type = Int(buffer.loadUnaligned(fromByteOffset: position + 2, as: UInt16.self) & 0x3fff)
            guard type == RTNL.vfInfo, length >= 4, length <= buffer.count - position else { break }
            // A message that ends inside the last entry's padding (no kernel sends one) must
            // not move the walk past the buffer: the list is sliced up to `position` below.
            position = min(position + NetlinkPayload.aligned(length), buffer.count)
            count += 1
        }
        let realLength = position - offset
        guard realLength > statedLength, realLength & 0xffff == statedLength & 0xffff else { return asStated }
        let content = UnsafeRawBufferPointer(rebasing: buffer[(offset + 4)..<position])
        return Walk(entries: NetlinkAttributeList(content), nextOffset: position)
    }
}
