import Foundation
import SRIOVConfigFile
import SRIOVCore
import Testing

@Suite("config file")
struct ConfigFileLoaderTests {
    func parse(_ text: String) throws -> HostConfig { try ConfigFileLoader.parse(text, file: "test.yaml") }

    func message(_ text: String) -> String? {
        do {
            _ = try ConfigFileLoader.parse(text, file: "test.yaml")
            return nil
        } catch {
            return error.message
        }
    }

    @Test("The annotated example in config/ loads")
    func example() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config/config.example.yaml").path
        let config = try ConfigFileLoader.load(path: path)
        #expect(config.pfs.count == 2)
        #expect(config.pfs[0].selector == .pciAddress(PCIAddress("0000:01:00.0")!))
        #expect(config.pfs[0].numVFs == 7)
        #expect(config.pfs[0].vfDefaults.spoofCheck == true)
        #expect(config.pfs[0].settings(forVF: 0).vlan == PortVLAN(id: 100))
        #expect(config.pfs[0].settings(forVF: 0).trust == true)
        #expect(config.pfs[0].settings(forVF: 1).trust == false)
        #expect(config.pfs[1].method == .maxVFs)
        #expect(config.networks.first?.name == "prod")
        #expect(config.networks.first?.pfs == [.pciAddress(PCIAddress("0000:01:00.0")!), .netdev("eth1")])
        #expect(config.networks.first?.excludedVFs["0000:01:00.0"] == [0])
        #expect(config.networks.first?.vlan == PortVLAN(id: 100))
        #expect(config.macPool.first == MACAddress("02:5a:00:00:00:00"))
    }

    @Test("PFs match by netdev, PCI address or permanent MAC; 802.1ad VLAN with QoS")
    func selectors() throws {
        let config = try parse("""
        pfs:
          - netdev: eth0
            num_vfs: 4
          - permanent_mac: "00:1b:21:aa:bb:cc"
            num_vfs: 2
            vf_defaults: { vlan: "200:5", vlan_proto: 802.1ad, link_state: enable, max_rate: 1000 }
        """)
        #expect(config.pfs[0].selector == .netdev("eth0"))
        #expect(config.pfs[1].selector == .permanentMAC(MACAddress("00:1b:21:aa:bb:cc")!))
        #expect(config.pfs[1].vfDefaults.vlan == PortVLAN(id: 200, qos: 5, proto: .ieee8021AD))
        #expect(config.pfs[1].vfDefaults.linkState == .enable)
        #expect(config.pfs[1].vfDefaults.maxTxRate == 1000)
    }

    @Test("An unknown key names the file, line and key")
    func unknownKey() {
        let error = message("""
        pfs:
          - netdev: eth0
            num_vfs: 4
            numvfs: 5
        """)
        #expect(error?.hasPrefix("test.yaml:4: pfs[0].numvfs: unknown key 'numvfs'") == true)
    }

    @Test("A wrong type names the line and key")
    func wrongType() {
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: many\n")
                == "test.yaml:3: pfs[0].num_vfs: VF count 'many' is not a plain decimal number (digits 0-9 only: no sign, space, 0x or _)")
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vfio: maybe\n")
                == "test.yaml:4: pfs[0].vfio: expected true or false, found 'maybe'")
        #expect(message("networks: prod\n") == "test.yaml:1: networks: expected a list, found 'prod'")
    }

    @Test("A PF declared twice is an error naming both places")
    func duplicatePF() {
        let error = message("""
        pfs:
          - netdev: eth0
            num_vfs: 4
          - netdev: eth0
            num_vfs: 2
        """)
        #expect(error == "test.yaml:4: pfs[1]: PF eth0 is declared twice (first at test.yaml:2)")
    }

    @Test("Impossible values are refused: VLAN 4096, QoS 8, multicast MAC, override of a VF that does not exist")
    func impossibleValues() {
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vf_defaults: { vlan: 4096 }\n")?
            .contains("VLAN 4096 is out of range (0-4095)") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vf_defaults: { vlan: \"10:8\" }\n")?
            .contains("QoS 8 is out of range") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vfs:\n      1: { mac: \"01:00:5e:00:00:01\" }\n")?
            .contains("multicast") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vfs:\n      5: { trust: true }\n")
                == "test.yaml:5: pfs[0].vfs.5: VF 5 does not exist: PF eth0 has num_vfs 2")
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: -1\n")?.contains("out of range") == true)
        #expect(message("mac_pool: { first: \"03:00:00:00:00:00\", last: \"03:00:00:00:00:ff\" }\n")?
            .contains("unicast") == true)
    }

    @Test("YAML syntax errors name the line")
    func syntax() {
        #expect(message("pfs:\n  - netdev: [eth0\n")?.hasPrefix("test.yaml:") == true)
    }

    @Test("Numbers are bounded where they are read: rates fit in u32 Mbps, no signs, 0x or underscores")
    func boundedNumbers() {
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vf_defaults: { max_rate: 4294967296 }\n")
                == "test.yaml:4: pfs[0].vf_defaults.max_rate: maximum rate 4294967296 Mbps is out of range (0-4294967295 Mbps; the kernel's rate fields are 32-bit)")
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vf_defaults: { max_rate: 4294967295 }\n") == nil)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: +4\n")?
            .hasPrefix("test.yaml:3: pfs[0].num_vfs: VF count '+4' is not a plain decimal number") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 0x4\n")?.contains("not a plain decimal number") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 1_0\n")?.contains("not a plain decimal number") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vf_defaults: { vlan: \"+100\" }\n")?
            .hasPrefix("test.yaml:4: pfs[0].vf_defaults.vlan: VLAN '+100' is not a plain decimal number") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vfs:\n      +1: { trust: true }\n")?
            .hasPrefix("test.yaml:5: pfs[0].vfs: VF index '+1' is not a plain decimal number") == true)
        #expect(message("networks:\n  - name: prod\n    pfs: [eth0]\n    exclude_vfs: { eth0: [-1] }\n")?
            .hasPrefix("test.yaml:4: networks[0].exclude_vfs.eth0[0]: VF index -1 is out of range (0-65534; a PF has at most 65535 VFs)") == true)
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 2\n    vfs:\n      1: { mac: \"02:+a:00:00:01:0e\" }\n")?
            .hasPrefix("test.yaml:5: pfs[0].vfs.1.mac: '02:+a:00:00:01:0e' is not a MAC address") == true)
    }

    @Test("Duplicate keys name the file, line, column and key path of the second one")
    func duplicateKeys() {
        #expect(message("pfs:\n  - netdev: eth0\n    num_vfs: 4\n    num_vfs: 5\n")
                == "test.yaml:4:5: pfs[0].num_vfs: key 'num_vfs' appears twice (first at line 3)")
        #expect(message("mac_pool: { first: \"02:00:00:00:00:00\", first: \"02:00:00:00:00:01\" }\n")
                == "test.yaml:1:41: mac_pool.first: key 'first' appears twice (first at line 1)")
        #expect(message("networks: []\nnetworks: []\n") == "test.yaml:2:1: networks: key 'networks' appears twice (first at line 1)")
    }

    @Test("A duplicate key in a document of nested aliases (a 'billion laughs') is reported at once")
    func duplicateKeyAmongAliases() {
        var text = "a0: &a0 [x]\n"
        for level in 1..<12 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ",") + "]\n"
        }
        text += "networks:\n  - name: prod\n    pfs: [eth0]\n    vlan: 1\n    vlan: 2\n"
        let start = ContinuousClock.now
        #expect(message(text) == "test.yaml:17:5: key 'vlan' appears twice (first at line 16)")
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("Control characters name the line and key and are shown escaped, never raw")
    func controlCharacters() {
        // Through a YAML escape: the parser takes it; the loader refuses it.
        let escaped = message("networks:\n  - name: prod\n    pfs: [\"eth0\\x85\"]\n")
        #expect(escaped == "test.yaml:3: networks[0].pfs[0]: 'eth0\\u{85}' contains a control character (U+0085)")
        // Raw in the text: Yams' reader refuses it; the message gets a line, column and key.
        let raw = message("pfs:\n  - netdev: eth\u{9b}0\n    num_vfs: 2\n")
        #expect(raw?.hasPrefix("test.yaml:2:16: the config text cannot be read in key 'netdev': control characters are not allowed") == true, "\(raw ?? "")")
        for text in [escaped, raw] {
            #expect(text?.unicodeScalars.contains { TextRules.isControl($0) } == false)
        }
        #expect(message("networks:\n  - name: prod\n    pfs: [\"eth0\\uffff\"]\n")?.contains("U+FFFF") == true)
    }

    @Test("YAML syntax errors name the line, column and the key on that line")
    func syntaxPlace() {
        let text = message("pfs:\n  - netdev: [eth0\n    num_vfs: 2\n")
        #expect(text?.hasPrefix("test.yaml:") == true)
        #expect(text?.contains("YAML syntax error") == true)
        #expect(text?.contains("\n") == false, "one line, not the whole document: \(text ?? "")")
        let tab = message("pfs:\n  - netdev: eth0\n\tnum_vfs: 2\n")
        #expect(tab?.hasPrefix("test.yaml:3:1: YAML syntax error near key 'num_vfs'") == true, "\(tab ?? "")")
    }

    @Test("Each network PF remembers the file, line and key that names it")
    func networkPFSources() throws {
        let config = try ConfigFileLoader.parse("networks:\n  - name: prod\n    pfs:\n      - eth0\n      - eth9\n", file: "c.yaml")
        #expect(config.networks[0].pfSources[.netdev("eth9")] == "c.yaml:5: networks[0].pfs[1]")
    }

    @Test("A missing file is a clear error")
    func missingFile() {
        #expect(throws: SRIOVError.self) { try ConfigFileLoader.load(path: "/nonexistent/sriovctl.yaml") }
    }

    @Test("state: names the store; a password in its url, a bad host_id or a relative local_dir name the line")
    func stateSection() throws {
        let config = try parse("""
            state:
              url: "postgresql://sriovctl@db.example/fleet?sslmode=require"
              password_file: /etc/sriovctl/db-password
              host_id: 8d2c3f00aa
              local_dir: /srv/sriovctl
            """)
        let state = try #require(config.state)
        #expect(state.location == .postgres(PostgresTarget(user: "sriovctl", host: "db.example", database: "fleet", sslMode: .require,
                                                           passwordFile: "/etc/sriovctl/db-password")))
        #expect(state.hostID == "8d2c3f00aa" && state.localDirectory == "/srv/sriovctl")
        #expect(try parse("networks: []\n").state == nil, "absent: the SQLite file at --db")
        let leaked = message("state:\n  url: \"postgresql://u:hunter2@db/fleet\"\n")
        #expect(leaked?.contains("test.yaml:2") == true && leaked?.contains("a password does not belong in the url") == true)
        #expect(leaked?.contains("hunter2") == false)
        #expect(message("state:\n  url: \"sqlite:///x.db\"\n  host_id: \"a b\"\n")?.contains("host_id must be") == true)
        #expect(message("state:\n  url: \"sqlite:///x.db\"\n  local_dir: rel\n")?.contains("local_dir must be an absolute path") == true)
    }
}
