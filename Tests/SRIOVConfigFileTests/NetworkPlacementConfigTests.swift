import SRIOVConfigFile
import SRIOVCore
import Testing

/// The config's placement keys (issue 16): VF ranges in `pfs:`, `numa`, `prefer_link_up`, `failover`.
@Suite("config file: network placement")
struct NetworkPlacementConfigTests {
    func message(_ text: String) -> String? {
        do {
            _ = try ConfigFileLoader.parse(text, file: "test.yaml")
            return nil
        } catch {
            return error.message
        }
    }

    @Test("two networks split one PF by range; numa, prefer_link_up and failover are read")
    func split() throws {
        let config = try ConfigFileLoader.parse("""
            networks:
              - name: storage
                pfs: ["eth0#0-7", "pci:0000:3b:00.1#8-31"]
                numa: required
                prefer_link_up: false
                failover: {network: default}
              - name: tenant
                pfs: ["eth0#8-31"]
                failover: {bridge: br0}
            """, file: "test.yaml")
        let storage = config.networks[0], tenant = config.networks[1]
        #expect(storage.pfs == [.netdev("eth0"), .pciAddress(PCIAddress("0000:3b:00.1")!)])
        #expect(storage.vfRanges == [.netdev("eth0"): 0...7, .pciAddress(PCIAddress("0000:3b:00.1")!): 8...31])
        #expect(storage.numa == .required && storage.preferLinkUp == false && storage.failover == .network("default"))
        #expect(tenant.vfRanges == [.netdev("eth0"): 8...31])
        #expect(tenant.numa == .preferred && tenant.preferLinkUp == true && tenant.failover == .bridge("br0"))
    }

    @Test("overlapping ranges are refused naming both lines")
    func overlap() {
        let text = message("""
            networks:
              - name: storage
                pfs: ["eth0#0-7"]
              - name: tenant
                pfs:
                  - eth1
                  - "eth0#4-9"
            """)
        #expect(text == "test.yaml:7: networks[1].pfs[1]: network 'tenant' takes VFs 4-9 of PF eth0, which overlaps "
                + "VFs 0-7 of network 'storage' (test.yaml:3: networks[0].pfs[0]); networks may share a PF only with "
                + "disjoint VF ranges")
    }

    @Test("bad ranges, policies and failover paths name the line and key")
    func badValues() {
        #expect(message("networks:\n  - name: a\n    pfs: [\"eth0#7-0\"]\n")?
            .hasPrefix("test.yaml:3: networks[0].pfs[0]: 'eth0#7-0': the VF range 7-0 ends before it starts") == true)
        #expect(message("networks:\n  - name: a\n    pfs: [eth0]\n    numa: strict\n")
                == "test.yaml:4: networks[0].numa: numa must be required, preferred or ignore, found 'strict'")
        #expect(message("networks:\n  - name: a\n    pfs: [eth0]\n    failover: {network: a, bridge: b}\n")?
            .contains("failover needs exactly one of network") == true)
        #expect(message("networks:\n  - name: a\n    pfs: [eth0]\n    failover: {bridge: \"br0'/>\"}\n")?
            .contains("may hold only ASCII letters") == true)
        #expect(message("networks:\n  - name: a\n    pfs: [\"eth0#0-3\", \"eth0#4-7\"]\n")?
            .contains("PF eth0 is listed twice in network 'a'") == true)
    }
}
