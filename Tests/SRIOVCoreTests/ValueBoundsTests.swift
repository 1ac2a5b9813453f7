import Foundation
import SRIOVCore
import SRIOVLinux
import SRIOVTesting
import Testing

/// Values are bounded where they are parsed: numbers are plain decimal digits within what the
/// kernel takes, MAC octets are two hex digits, names hold no control characters, and XML
/// never carries a code point a parser refuses (issue 11).
@Suite("value bounds")
struct ValueBoundsTests {
    private func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch { return (error as? SRIOVError)?.message ?? "not an SRIOVError: \(error)" }
    }

    @Test("numbers are plain decimal digits: signs, spaces, 0x, underscores and other scripts are refused")
    func plainDigits() async throws {
        for bad in ["+100", "-1", " 1", "1 ", "0x10", "1_0", "1e3", "", "١٢", "１２", "10\u{0}"] {
            #expect(throws: SRIOVError.self, "accepted \(bad.debugDescription)") { try NumberField.vlanID.parse(bad) }
        }
        #expect(message { _ = try NumberField.vlanID.parse("+100") }
                == "VLAN '+100' is not a plain decimal number (digits 0-9 only: no sign, space, 0x or _)")
        #expect(try NumberField.vlanID.parse("007") == 7)
        #expect(try NumberField.vlanID.parse("4095") == 4095)
        #expect(message { _ = try NumberField.vlanID.parse("4096") } == "VLAN 4096 is out of range (0-4095)")
    }

    @Test("rates fit in the kernel's u32 Mbps; longer numbers are out of range, never a crash or a wrap")
    func rates() async throws {
        #expect(try NumberField.maxRate.parse("4294967295") == 4_294_967_295)
        #expect(message { _ = try NumberField.maxRate.parse("4294967296") }
                == "maximum rate 4294967296 Mbps is out of range (0-4294967295 Mbps; the kernel's rate fields are 32-bit)")
        #expect(message { _ = try NumberField.minRate.parse("99999999999999999999999999") }?
            .contains("out of range") == true)
        #expect(try NumberField.minRate.parse("000000000000000000000000001") == 1)
        // A value built in code is held to the same bound before netlink truncates it to 0.
        #expect(message { try VFSettings(maxTxRate: 4_294_967_296).validate(vfIndex: 2, pf: "eth3") }
                == "eth3 VF 2: maximum rate 4294967296 Mbps is out of range (0-4294967295 Mbps; the kernel's rate fields are 32-bit)")
    }

    @Test("--vlan ID:QOS parses both parts with the same rule")
    func vlan() async throws {
        #expect(try PortVLAN(validating: "100:3") == PortVLAN(id: 100, qos: 3))
        #expect(PortVLAN(parsing: "+100") == nil)
        #expect(message { _ = try PortVLAN(validating: "100:+3") }?.hasPrefix("VLAN QoS '+3' is not a plain decimal") == true)
        #expect(message { _ = try PortVLAN(validating: "1:2:3") } == "VLAN '1:2:3' is not ID or ID:QOS (e.g. 100 or 100:3)")
        #expect(message { _ = try PortVLAN(validating: "10:8") } == "VLAN QoS 8 is out of range (0-7)")
    }

    @Test("MAC octets are exactly two ASCII hex digits, one separator throughout")
    func macOctets() async throws {
        for bad in ["02:+a:00:00:01:0e", "2:a:0:0:1:e", "02:a:00:00:01:0e", "002:0a:00:00:01:0e", "02:0a:00:00:01:0e ",
                    " 02:0a:00:00:01:0e", "02:0a-00:00:01:0e", "02:0a:00:00:01:0e:", "０２:0a:00:00:01:0e", "02:0a:00:00:01:-e"] {
            #expect(MACAddress(bad) == nil, "accepted \(bad.debugDescription)")
        }
        #expect(MACAddress("02-0A-00-00-01-0E")?.description == "02:0a:00:00:01:0e")
        #expect(MACAddress("02:0a:00:00:01:0e")?.description == "02:0a:00:00:01:0e")
    }

    @Test("a table never prints a control character raw, whatever reached a cell")
    func tableCells() async {
        var table = TextTable(header: ["GUEST", "MAC"])
        table.append(["web\u{9b}2J", "02:5a:00:00:00:01"])
        table.append(["a\u{202E}b", "x"])
        #expect(table.render() == "GUEST        MAC\nweb\\u{9b}2J  02:5a:00:00:00:01\na\\u{202e}b   x")
    }

    @Test("PCI addresses are ASCII hex digits of each field's width: no sign")
    func pciAddress() async {
        for bad in ["+000:0b:10.0", "0000:+b:10.0", "0000:0b:+0.0", "0000:0b:10.+", "０000:0b:10.0"] {
            #expect(PCIAddress(bad) == nil, "accepted \(bad)")
        }
        #expect(PCIAddress("0000:0B:10.2")?.description == "0000:0b:10.2")
    }

    @Test("names refuse every control character (C1 included) and U+FFFF, and messages show them escaped")
    func names() async {
        for bad in ["web\u{9b}1", "web\u{85}1", "web\u{7f}", "web\u{1b}[2J", "web\u{FFFF}", "web\u{FFFE}"] {
            let text = message { try GuestNameRules.validateGuestName(bad) }
            #expect(text != nil, "accepted \(bad.debugDescription)")
            #expect(text?.unicodeScalars.contains { TextRules.isControl($0) || TextRules.isXMLIllegal($0) } == false,
                    "raw control character in \(text ?? "")")
        }
        #expect(message { try GuestNameRules.validateGuestName("web\u{9b}1") }
                == "guest name 'web\\u{9b}1' contains a control character (U+009B)")
        #expect(message { try GuestNameRules.validateNetworkName("prod\u{85}") }
                == "network name 'prod\\u{85}' contains a control character (U+0085)")
        #expect(message { try GuestNameRules.validateGuestName("Grüße-web_1.2") } == nil)
        #expect(message { try GuestNameRules.validateGuestName("web\u{202E}1bew") }
                == "guest name 'web\\u{202e}1bew' contains a bidirectional formatting character (U+202E)")
        #expect(message { try GuestNameRules.validateGuestName(String(repeating: "é", count: 126)) }?
            .contains("is 252 bytes long; libvirt accepts at most 251") == true)
        #expect(message { try GuestNameRules.validateGuestName(String(repeating: "a", count: 251)) } == nil)
        #expect(message { _ = try GuestNameRules.normalizedUUID("１２345678-1234-1234-1234-123456789abc") } != nil)
    }

    @Test("a profile id with U+FFFF is refused before rendering; the escaper alone still writes well-formed XML")
    func profileXML() async throws {
        let interface = GuestInterface(mac: MACAddress("02:5a:00:00:00:01")!, vfPCIAddress: PCIAddress("0000:0b:10.2"),
                                       virtualPort: VirtualPort(profileID: "p\u{FFFF}1"))
        #expect(message { _ = try LibvirtInterfaceXML.render(interface) }
                == "VF 0000:0b:10.2: 802.1Qbh profile id 'p\\u{ffff}1' contains U+FFFF; profile ids may not contain XML metacharacters (& < > ' \"), control characters or U+FFFE/U+FFFF")
        // The second line of defence: what validation would refuse is replaced, never emitted raw.
        let escaped = XMLEscaping.attribute("a\u{FFFF}b\u{1}c\u{FFFE}d\te")
        #expect(escaped == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d&#9;e")
        let document = "<interface type='hostdev'><virtualport type='802.1Qbh'><parameters profileid='\(escaped)'/></virtualport></interface>\n"
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/xmllint") else { return }
        let path = NSTemporaryDirectory() + "sriovctl-xml-\(UUID().uuidString).xml"
        try document.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lint = try await ChildProcess.run("/usr/bin/xmllint", ["--noout", path])
        #expect(lint.status == 0, "xmllint: \(lint.stderr)")
        // And the unescaped form is indeed what xmllint refuses: the check can fail.
        try document.replacingOccurrences(of: "\u{FFFD}", with: "\u{FFFF}").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await ChildProcess.run("/usr/bin/xmllint", ["--noout", path]).status != 0)
    }

    @Test("a network PF that is not on this host is named with the config line that lists it")
    func networkPFPlace() async {
        var network = NetworkDefinition(name: "prod", pfs: [.netdev("eth9")])
        network.pfSources[.netdev("eth9")] = "config.yaml:4: networks[0].pfs[0]"
        let text = message { _ = try NetworkPFResolver.resolve(network, inventory: HostInventory(pfs: []), statuses: [:]) }
        #expect(text == "config.yaml:4: networks[0].pfs[0]: network 'prod': PF 'eth9' is not on this host (this host has no SR-IOV PF)")
        // Where a file said it is not part of what a network is.
        #expect(network == NetworkDefinition(name: "prod", pfs: [.netdev("eth9")]))
    }
}
