/// A PCI function address, `DDDD:BB:SS.F` (domain, bus, slot, function).
///
/// This is how the kernel names PCI devices in sysfs (`/sys/bus/pci/devices/0000:0b:10.0`)
/// and how libvirt and Xen name the device to pass through. It is the stable key of a
/// VF's PCI side; netdev names are not stable across boots.
public struct PCIAddress: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// PCI segment (domain), 0...0xffff.
    public let domain: UInt16
    /// Bus number, 0...0xff.
    public let bus: UInt8
    /// Slot (device) number, 0...0x1f.
    public let slot: UInt8
    /// Function number, 0...7.
    public let function: UInt8

    /// Creates an address from its parts; `nil` when a part is out of range.
    public init?(domain: UInt16, bus: UInt8, slot: UInt8, function: UInt8) {
        guard slot <= 0x1f, function <= 7 else { return nil }
        self.domain = domain
        self.bus = bus
        self.slot = slot
        self.function = function
    }

    /// Parses `DDDD:BB:SS.F` or the short form `BB:SS.F` (domain 0), case-insensitive, every
    /// field ASCII hex digits of exactly its width (`0000:+b:10.0` is refused, though
    /// `UInt8("+b", radix: 16)` reads it). Returns `nil` for anything else; never guesses.
    public init?(_ text: String) {
        let isHex = { (byte: UInt8) in
            (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
        }
        guard text.utf8.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else {
            return nil
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let domainText: Substring
        let busText: Substring
        let slotFunction: Substring
        switch parts.count {
        case 3: (domainText, busText, slotFunction) = (parts[0], parts[1], parts[2])
        case 2: (domainText, busText, slotFunction) = ("0000", parts[0], parts[1])
        default: return nil
        }
        let sf = slotFunction.split(separator: ".", omittingEmptySubsequences: false)
        guard sf.count == 2,
              domainText.count == 4, busText.count == 2, sf[0].count == 2, sf[1].count == 1,
              let d = UInt16(domainText, radix: 16), let b = UInt8(busText, radix: 16),
              let s = UInt8(sf[0], radix: 16), let f = UInt8(sf[1], radix: 16)
        else { return nil }
        self.init(domain: d, bus: b, slot: s, function: f)
    }

    /// `0000:0b:10.0`: the kernel's and libvirt's form.
    public var description: String {
        "\(hex(domain, 4)):\(hex(bus, 2)):\(hex(slot, 2)).\(hex(function, 1))"
    }

    /// The name libvirt gives this device in `virsh nodedev-list`: `pci_0000_0b_10_0`.
    public var libvirtNodeDeviceName: String {
        "pci_\(hex(domain, 4))_\(hex(bus, 2))_\(hex(slot, 2))_\(hex(function, 1))"
    }

    public static func < (lhs: PCIAddress, rhs: PCIAddress) -> Bool {
        (lhs.domain, lhs.bus, lhs.slot, lhs.function) < (rhs.domain, rhs.bus, rhs.slot, rhs.function)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let address = PCIAddress(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "not a PCI address: \(text)"))
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Lower-case hexadecimal, zero-padded to `width` digits.
func hex<T: BinaryInteger>(_ value: T, _ width: Int) -> String {
    let digits = String(value, radix: 16)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
