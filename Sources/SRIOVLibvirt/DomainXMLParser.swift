internal import CLibXML2
public import SRIOVCore

/// What sriovctl reads from a libvirt domain XML document: the guest's name, UUID and the
/// `<interface type='hostdev'>` devices (one ``GuestInterface`` each).
public struct ParsedDomainXML: Hashable, Sendable {
    /// `<domain><name>`.
    public var name: String
    /// `<domain><uuid>`; empty when the document has none (XML not yet defined).
    public var uuid: String
    /// Every `<domain><devices><interface type='hostdev'>`, in document order.
    public var hostdevInterfaces: [GuestInterface]
    /// `<numatune><memory nodeset>`, `<vcpu cpuset>` and `<cputune><vcpupin cpuset>`, as written.
    public var numa: GuestNUMATuning = GuestNUMATuning()
    /// The `<mac address>` of every other `<interface>` (virtio, bridge, network), in document order.
    public var otherInterfaceMACs: [MACAddress] = []

    /// Creates a parsed domain.
    public init(name: String, uuid: String, hostdevInterfaces: [GuestInterface],
                numa: GuestNUMATuning = GuestNUMATuning(), otherInterfaceMACs: [MACAddress] = []) {
        self.name = name
        self.uuid = uuid
        self.hostdevInterfaces = hostdevInterfaces
        self.numa = numa
        self.otherInterfaceMACs = otherInterfaceMACs
    }
}

/// Reads libvirt domain XML (as `virDomainGetXMLDesc` returns it) with libxml2's pull parser
/// (`xmlTextReader`), called directly rather than through Foundation's XMLParser so that
/// sriovctl does not link the whole of Foundation and its ICU data for it.
///
/// For each `<interface type='hostdev'>` directly under `<devices>` it reads `<mac address>`,
/// `<source><address type='pci' domain bus slot function>`, the first `<vlan><tag id>` and
/// `<virtualport><parameters profileid>`. The interface's own `<address>` (where the device
/// sits in the guest) is not the source and is ignored, as are plain `<hostdev>` devices and
/// every other element. VLAN QoS and protocol are not in libvirt's XML: they read as 0 and
/// 802.1Q. It also keeps, as written, where the guest is pinned (`<numatune><memory nodeset>`,
/// `<vcpu cpuset>`, `<cputune><vcpupin cpuset>`: at most ``maximumPins`` pins, 256 bytes each)
/// and the MACs of the other interfaces (the virtio halves of failover pairs).
///
/// The XML comes from guests' owners, so it is read as untrusted: at most
/// ``maximumBytes``, UTF-8 only, no DOCTYPE (so no entity can be declared, internal or
/// external), no network access (`XML_PARSE_NONET`), no DTD loading or entity substitution,
/// and libxml2's default limits on depth and text size (no `XML_PARSE_HUGE`).
public enum DomainXMLParser {
    /// The largest document read: 4 MiB, libvirt's own limit for one string over its RPC
    /// (`VIR_NET_MESSAGE_STRING_MAX`), so no XML libvirt hands over is refused.
    public static let maximumBytes = 4 << 20

    /// The most `<vcpupin>` elements kept (QEMU's vCPU limit); more are ignored.
    public static let maximumPins = 4096

    /// Parses `xml`. Throws `.libvirt` naming the line for malformed XML, markup refused
    /// before parsing (``XMLParserHazards``: a DOCTYPE, a NUL, an encoding other than UTF-8,
    /// `<?name?>`), a document above ``maximumBytes``, a document that is not a `<domain>`,
    /// or a hostdev interface without a readable `<mac>`.
    public static func parse(_ xml: String) throws(SRIOVError) -> ParsedDomainXML {
        let bytes = Array(xml.utf8)
        guard bytes.count <= maximumBytes else {
            throw SRIOVError(.libvirt, "domain XML: cannot parse: \(bytes.count) bytes, above the \(maximumBytes >> 20) MiB limit")
        }
        if let hazard = XMLParserHazards.first(in: xml) {
            throw SRIOVError(.libvirt, "domain XML line \(hazard.line): cannot parse: \(hazard.problem)")
        }
        guard !bytes.isEmpty else { throw SRIOVError(.libvirt, "domain XML line 1: cannot parse: \(describe(4))") }
        let collector = DomainXMLCollector()
        try bytes.withUnsafeBufferPointer { (buffer) throws(SRIOVError) in
            try LibXMLReader.read(buffer, into: collector)
        }
        if let failure = collector.failure { throw failure }
        guard collector.sawDomain else {
            throw SRIOVError(.libvirt, "domain XML: the document is not a <domain>")
        }
        return ParsedDomainXML(name: collector.name, uuid: collector.uuid, hostdevInterfaces: collector.interfaces,
                               numa: collector.numa, otherInterfaceMACs: collector.otherMACs)
    }

    /// A libxml2 parser error (`xmlParserErrors`) in words; libxml2's own messages are
    /// terse and technical, so the common ones are named here.
    static func describe(_ code: Int) -> String {
        switch code {
        case 3, 4: return "no XML document"
        case 5: return "the document ends too early (truncated?)"
        case 9: return "a character not allowed in XML"
        case 23, 26: return "an undeclared or unterminated entity (&name;)"
        case 39, 40, 41: return "a malformed attribute"
        case 42: return "an attribute given twice"
        case 68, 72, 73, 74, 77: return "a malformed or unclosed tag"
        case 76: return "an end tag does not match its start tag"
        case 86: return "extra content after the root element"
        default: return "not well-formed XML (libxml2 error \(code))"
        }
    }

    /// A libvirt PCI address attribute value: `0x0b` (what libvirt writes) or decimal `11`.
    static func number(_ text: String?) -> UInt64? {
        guard let text else { return nil }
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return UInt64(text.dropFirst(2), radix: 16) }
        return UInt64(text)
    }
}

/// The events ``LibXMLReader`` hands on: what the domain reader needs of a document.
private protocol XMLEvents: AnyObject {
    /// The first error seen; reading stops once it is set.
    var failure: SRIOVError? { get }
    func start(_ element: String, attributes: [String: String], line: Int)
    func text(_ text: String)
    func end(line: Int)
}

/// One pass of libxml2's `xmlTextReader` (loaded on first use, ``CLibXML2``) over a buffer,
/// owning the reader (freed before it returns) and turning its nodes into ``XMLEvents``.
private enum LibXMLReader {
    /// Untrusted input: no network, no DTD loading, no entity substitution, no XInclude;
    /// errors are collected, never printed; line numbers above 65535 are kept.
    static let options = Int32(SRIOVCTL_XML_PARSE_NONET | SRIOVCTL_XML_PARSE_NOERROR | SRIOVCTL_XML_PARSE_NOWARNING
                               | SRIOVCTL_XML_PARSE_NOCDATA | SRIOVCTL_XML_PARSE_BIG_LINES)

    /// The first error libxml2 reports (code, line), kept by the error handler.
    final class FirstError {
        var code: Int?
        var line = 0
    }

    static func read(_ buffer: UnsafeBufferPointer<UInt8>, into events: some XMLEvents) throws(SRIOVError) {
        if sriovctl_libxml2_load() != 0 {
            let why = sriovctl_libxml2_load_error().map { String(cString: $0) } ?? "cannot load libxml2.so.2"
            throw SRIOVError(.libvirt, "domain XML: cannot parse: libxml2 is not available (\(why))")
        }
        let first = FirstError()
        // The reader reads `buffer` in place: it stays alive until sriovctl_xmlFreeTextReader.
        let reader = buffer.withMemoryRebound(to: CChar.self) {
            sriovctl_xmlReaderForMemory($0.baseAddress, Int32($0.count), "UTF-8", options)
        }
        guard let reader else { throw SRIOVError(.libvirt, "domain XML: cannot parse: libxml2 could not start (out of memory)") }
        defer { sriovctl_xmlFreeTextReader(reader) }
        // Warnings (level 1) are not errors; the first error or fatal error (2, 3) is kept.
        // `first` outlives the reader's reads: it is read after the loop.
        sriovctl_xmlTextReaderSetErrorHandler(reader, { context, code, level, line in
            guard let context, level >= 2 else { return }
            let first = Unmanaged<FirstError>.fromOpaque(context).takeUnretainedValue()
            if first.code == nil {
                first.code = Int(code)
                first.line = Int(line)
            }
        }, Unmanaged.passUnretained(first).toOpaque())
        while events.failure == nil, first.code == nil {
            let status = sriovctl_xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 {
                if first.code == nil { first.code = 1 }
                break
            }
            let line = Int(sriovctl_xmlTextReaderNodeLine(reader))
            switch Int(sriovctl_xmlTextReaderNodeType(reader)) {
            case Int(SRIOVCTL_XML_READER_TYPE_ELEMENT):
                let name = string(sriovctl_xmlTextReaderConstName(reader))
                let empty = sriovctl_xmlTextReaderIsEmptyElement(reader) == 1
                var attributes: [String: String] = [:]
                while sriovctl_xmlTextReaderMoveToNextAttribute(reader) == 1 {
                    attributes[string(sriovctl_xmlTextReaderConstName(reader))] = string(sriovctl_xmlTextReaderConstValue(reader))
                }
                _ = sriovctl_xmlTextReaderMoveToElement(reader)
                events.start(name, attributes: attributes, line: line)
                if empty { events.end(line: line) }
            case Int(SRIOVCTL_XML_READER_TYPE_END_ELEMENT):
                events.end(line: line)
            case Int(SRIOVCTL_XML_READER_TYPE_TEXT), Int(SRIOVCTL_XML_READER_TYPE_CDATA),
                 Int(SRIOVCTL_XML_READER_TYPE_SIGNIFICANT_WHITESPACE), Int(SRIOVCTL_XML_READER_TYPE_WHITESPACE):
                events.text(string(sriovctl_xmlTextReaderConstValue(reader)))
            default:
                break
            }
        }
        if events.failure == nil, let code = first.code {
            let line = first.line > 0 ? first.line : Int(sriovctl_xmlTextReaderNodeLine(reader))
            throw SRIOVError(.libvirt, "domain XML line \(max(line, 1)): cannot parse: \(DomainXMLParser.describe(code))")
        }
    }

    /// A libxml2 string (UTF-8, NUL-terminated, owned by the reader); empty for NULL.
    static func string(_ text: UnsafePointer<UInt8>?) -> String {
        guard let text else { return "" }
        return String(cString: text)
    }
}

/// The events behind ``DomainXMLParser``: tracks the element path and collects.
private final class DomainXMLCollector: XMLEvents {
    var sawDomain = false
    var name = ""
    var uuid = ""
    var interfaces: [GuestInterface] = []
    var numa = GuestNUMATuning()
    var otherMACs: [MACAddress] = []
    var failure: SRIOVError?
    /// True while inside an `<interface>` that is not a hostdev one.
    private var inOtherInterface = false

    private var path: [String] = []
    private var text = ""
    /// The hostdev interface being read, while inside it.
    private var current: PartialInterface?

    private struct PartialInterface {
        var line: Int
        var mac: String?
        var pci: PCIAddress?
        var vlan: PortVLAN?
        var profileID: String?
    }

    func start(_ element: String, attributes: [String: String], line: Int) {
        path.append(element)
        text = ""
        switch path {
        case ["domain"]:
            sawDomain = true
        case ["domain", "devices", "interface"] where attributes["type"] == "hostdev":
            current = PartialInterface(line: line)
        case ["domain", "devices", "interface"]:
            inOtherInterface = true
        case ["domain", "devices", "interface", "mac"]:
            if inOtherInterface, let text = attributes["address"], let mac = MACAddress(text) { otherMACs.append(mac) }
            current?.mac = attributes["address"]
        case ["domain", "numatune", "memory"]:
            numa.memoryNodeset = Self.setText(attributes["nodeset"])
        case ["domain", "vcpu"]:
            numa.vcpuCPUSet = Self.setText(attributes["cpuset"])
        case ["domain", "cputune", "vcpupin"]:
            if numa.vcpuPins.count < DomainXMLParser.maximumPins, let set = Self.setText(attributes["cpuset"]) {
                numa.vcpuPins.append(set)
            }
        case ["domain", "devices", "interface", "source", "address"]:
            guard current != nil, attributes["type"] == nil || attributes["type"] == "pci" else { break }
            current?.pci = pciAddress(attributes)
        case ["domain", "devices", "interface", "vlan", "tag"]:
            if current != nil, current?.vlan == nil, let id = DomainXMLParser.number(attributes["id"]),
               id <= 4095 {
                current?.vlan = PortVLAN(id: Int(id))
            }
        case ["domain", "devices", "interface", "virtualport", "parameters"]:
            if let profile = attributes["profileid"] { current?.profileID = profile }
        default:
            break
        }
    }

    func text(_ text: String) {
        self.text += text
    }

    func end(line: Int) {
        switch path {
        case ["domain", "name"]:
            name = trimmed(text)
        case ["domain", "uuid"]:
            uuid = trimmed(text)
        case ["domain", "devices", "interface"]:
            if let partial = current { finish(partial) }
            current = nil
            inOtherInterface = false
        default:
            break
        }
        if !path.isEmpty { path.removeLast() }
        text = ""
    }

    /// A CPU or node set attribute as written, when it is short enough to be one (256 bytes).
    private static func setText(_ text: String?) -> String? {
        guard let text, !text.isEmpty, text.utf8.count <= 256 else { return nil }
        return text
    }

    /// `text` without leading and trailing white space and line breaks.
    private func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
              let last = text.lastIndex(where: { !$0.isWhitespace }) else {
            return ""
        }
        return String(text[first...last])
    }

    private func finish(_ partial: PartialInterface) {
        guard let macText = partial.mac, let mac = MACAddress(macText) else {
            let shown = partial.mac.map { "'\($0)'" } ?? "no <mac address>"
            failure = failure ?? SRIOVError(
                .libvirt, "domain XML line \(partial.line): hostdev interface has \(partial.mac == nil ? shown : "an unreadable MAC \(shown)")")
            return
        }
        interfaces.append(GuestInterface(mac: mac, vfPCIAddress: partial.pci, vlan: partial.vlan,
                                         virtualPort: partial.profileID.map(VirtualPort.init(profileID:))))
    }

    private func pciAddress(_ attributes: [String: String]) -> PCIAddress? {
        guard let domain = DomainXMLParser.number(attributes["domain"] ?? "0"), domain <= 0xffff,
              let bus = DomainXMLParser.number(attributes["bus"]), bus <= 0xff,
              let slot = DomainXMLParser.number(attributes["slot"]), slot <= 0xff,
              let function = DomainXMLParser.number(attributes["function"] ?? "0"), function <= 0xff
        else { return nil }
        return PCIAddress(domain: UInt16(domain), bus: UInt8(bus), slot: UInt8(slot), function: UInt8(function))
    }
}
