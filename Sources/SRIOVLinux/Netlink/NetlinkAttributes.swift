/// One attribute (`struct nlattr` and its payload) inside a received message.
///
/// Bounds are checked by ``NetlinkAttributeList``; a payload is never read past its length.
struct NetlinkAttribute {
    /// The attribute type with the nested/byte-order flag bits masked off.
    let type: Int
    /// The payload (without the 4-byte header or trailing padding).
    let payload: UnsafeRawBufferPointer

    /// A host-order `u32` at `offset`; `nil` when the payload is too short.
    func u32(at offset: Int = 0) -> UInt32? {
        guard offset >= 0, payload.count >= offset + 4 else { return nil }
        return payload.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
    }

    /// A big-endian (network order) `u16` at `offset`.
    func bigEndianU16(at offset: Int) -> UInt16? {
        guard offset >= 0, payload.count >= offset + 2 else { return nil }
        return UInt16(payload[offset]) << 8 | UInt16(payload[offset + 1])
    }

    /// The first byte.
    var u8: UInt8? { payload.first }

    /// A NUL-terminated string.
    var string: String {
        let bytes = payload.prefix { $0 != 0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` bytes from `offset`; `nil` when the payload is too short.
    func bytes(at offset: Int, count: Int) -> [UInt8]? {
        guard offset >= 0, payload.count >= offset + count else { return nil }
        return Array(payload[offset..<(offset + count)])
    }

    /// The attributes nested inside this one.
    var nested: NetlinkAttributeList { NetlinkAttributeList(payload) }
}

/// The attributes in a buffer, walked the way libnl's `nla_ok`/`nla_next` walk them: an
/// attribute whose length is below the header size or beyond the buffer ends the walk.
struct NetlinkAttributeList: Sequence {
    /// The buffer walked.
    let buffer: UnsafeRawBufferPointer

    /// Walks `buffer`.
    init(_ buffer: UnsafeRawBufferPointer) { self.buffer = buffer }

    /// Iterates attributes in order.
    struct Iterator: IteratorProtocol {
        let buffer: UnsafeRawBufferPointer
        var offset = 0

        mutating func next() -> NetlinkAttribute? {
            guard buffer.count - offset >= 4 else { return nil }
            let length = Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            let rawType = buffer.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self)
            guard length >= 4, length <= buffer.count - offset else { return nil }
            let payload = UnsafeRawBufferPointer(rebasing: buffer[(offset + 4)..<(offset + length)])
            offset += NetlinkPayload.aligned(length)
            return NetlinkAttribute(type: Int(rawType & 0x3fff), payload: payload)
        }
    }

    func makeIterator() -> Iterator { Iterator(buffer: buffer) }

    /// The first attribute, if any.
    var first: NetlinkAttribute? {
        var iterator = makeIterator()
        return iterator.next()
    }
}

/// Builds attribute payloads byte by byte, in host order unless said otherwise, with
/// every byte (padding included) zeroed first.
struct NetlinkPayload {
    /// The bytes so far.
    private(set) var bytes: [UInt8] = []

    /// Netlink's 4-byte alignment.
    static func aligned(_ length: Int) -> Int { (length + 3) & ~3 }

    /// Appends a host-order `u32`.
    mutating func u32(_ value: UInt32) {
        withUnsafeBytes(of: value) { bytes.append(contentsOf: $0) }
    }

    /// Appends a `u16` in network (big-endian) order.
    mutating func bigEndianU16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xff))
    }

    /// Appends `raw` then zeros up to `width` bytes.
    mutating func padded(_ raw: [UInt8], width: Int) {
        bytes.append(contentsOf: raw.prefix(width))
        bytes.append(contentsOf: [UInt8](repeating: 0, count: max(0, width - raw.count)))
    }

    /// Appends zeros up to a total of `size` bytes.
    mutating func zeroFill(to size: Int) {
        if bytes.count < size { bytes.append(contentsOf: [UInt8](repeating: 0, count: size - bytes.count)) }
    }
}
