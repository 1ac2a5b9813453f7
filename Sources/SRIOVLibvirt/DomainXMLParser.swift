import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import SRIOVCore

/// What sriovctl reads from a libvirt domain XML document: the guest's name, UUID and the
/// `<interface type='hostdev'>` devices (one ``GuestInterface`` each).
public struct ParsedDomainXML: Hashable, Sendable {
    /// `<domain><name>`.
    public var name: String
    /// `<domain><uuid>`; empty when the document has none (XML not yet defined).
    public var uuid: String
    /// Every `<domain><devices><interface type='hostdev'>`, in document order.
    public var hostdevInterfaces: [GuestInterface]

    /// Creates a parsed domain.
    public init(name: String, uuid: String, hostdevInterfaces: [GuestInterface]) {
        self.name = name
        self.uuid = uuid
        self.hostdevInterfaces = hostdevInterfaces
    }
}

/// Reads libvirt domain XML (as `virDomainGetXMLDesc` returns it) with Foundation's XMLParser.
///
/// For each `<interface type='hostdev'>` directly under `<devices>` it reads `<mac address>`,
/// `<source><address type='pci' domain bus slot function>`, the first `<vlan><tag id>` and
/// `<virtualport><parameters profileid>`. The interface's own `<address>` (where the device
/// sits in the guest) is not the source and is ignored, as are plain `<hostdev>` devices and
/// every other element. VLAN QoS and protocol are not in libvirt's XML: they read as 0 and
/// 802.1Q. External entities are never resolved.
public enum DomainXMLParser {
    /// Parses `xml`. Throws `.libvirt` naming the line for malformed XML, markup that would
    /// crash Foundation's XMLParser (``XMLParserHazards``: a DOCTYPE, a NUL, an encoding other
    /// than UTF-8, `<?name?>`), a document that is not a `<domain>`, or a hostdev interface
    /// without a readable `<mac>`.
    public static func parse(_ xml: String) throws(SRIOVError) -> ParsedDomainXML {
        // What would crash XMLParser itself (a processing instruction without data) is refused first.
        if let hazard = XMLParserHazards.first(in: xml) {
            throw SRIOVError(.libvirt, "domain XML line \(hazard.line): cannot parse: \(hazard.problem)")
        }
        let collector = DomainXMLCollector()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.shouldResolveExternalEntities = false
        parser.delegate = collector
        let parsed = parser.parse()
        if let failure = collector.failure { throw failure }
        // FoundationXML returns true for a truncated document but sets parserError.
        if !parsed || parser.parserError != nil || collector.syntaxError != nil {
            let error = collector.syntaxError ?? (parser.parserError, parser.lineNumber)
            throw SRIOVError(.libvirt, "domain XML line \(error.line): cannot parse: \(describe(error.error))")
        }
        guard collector.sawDomain else {
            throw SRIOVError(.libvirt, "domain XML: the document is not a <domain>")
        }
        return ParsedDomainXML(name: collector.name, uuid: collector.uuid, hostdevInterfaces: collector.interfaces)
    }

    /// A parser error in words. On Linux, FoundationXML's error codes are libxml2's
    /// `xmlParserErrors` numbers and its descriptions are empty, so the common ones are named here.
    static func describe(_ error: (any Error)?) -> String {
        guard let code = (error as NSError?)?.code else { return "not well-formed XML" }
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

/// The XMLParser delegate behind ``DomainXMLParser``: tracks the element path and collects.
private final class DomainXMLCollector: NSObject, XMLParserDelegate {
    var sawDomain = false
    var name = ""
    var uuid = ""
    var interfaces: [GuestInterface] = []
    var failure: SRIOVError?
    /// The first syntax error and the line it was found on.
    var syntaxError: (error: (any Error)?, line: Int)?

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

    func parser(_ parser: XMLParser, didStartElement element: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        path.append(element)
        text = ""
        switch path {
        case ["domain"]:
            sawDomain = true
        case ["domain", "devices", "interface"] where attributes["type"] == "hostdev":
            current = PartialInterface(line: parser.lineNumber)
        case ["domain", "devices", "interface", "mac"]:
            current?.mac = attributes["address"]
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

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        if syntaxError == nil { syntaxError = (parseError, parser.lineNumber) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        text += string
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        switch path {
        case ["domain", "name"]:
            name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        case ["domain", "uuid"]:
            uuid = text.trimmingCharacters(in: .whitespacesAndNewlines)
        case ["domain", "devices", "interface"]:
            if let partial = current { finish(partial, parser: parser) }
            current = nil
        default:
            break
        }
        path.removeLast()
        text = ""
    }

    private func finish(_ partial: PartialInterface, parser: XMLParser) {
        guard let macText = partial.mac, let mac = MACAddress(macText) else {
            let shown = partial.mac.map { "'\($0)'" } ?? "no <mac address>"
            failure = failure ?? SRIOVError(
                .libvirt, "domain XML line \(partial.line): hostdev interface has \(partial.mac == nil ? shown : "an unreadable MAC \(shown)")")
            parser.abortParsing()
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
