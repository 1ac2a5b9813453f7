import SRIOVCore
import SRIOVLibvirt
import Testing

/// Where a guest is pinned, read from its domain XML for NUMA-aware VF choice (issue 16).
@Suite("Domain XML parser: NUMA pinning and failover halves")
struct DomainXMLNUMATests {
    @Test("a guest pinned by <numatune> reads its memory nodeset; <vcpu cpuset> and each <vcpupin> are kept")
    func numatune() throws {
        let parsed = try DomainXMLParser.parse("""
            <domain type='kvm'>
              <name>db1</name>
              <uuid>c1c12e9d-26e0-40ec-a6d8-a16dc7210984</uuid>
              <vcpu placement='static' cpuset='4-7'>2</vcpu>
              <cputune>
                <vcpupin vcpu='0' cpuset='4'/>
                <vcpupin vcpu='1' cpuset='5,^4'/>
              </cputune>
              <numatune>
                <memory mode='strict' nodeset='1'/>
              </numatune>
              <devices>
                <interface type='network'>
                  <mac address='02:5a:00:00:00:07'/>
                  <source network='default'/>
                  <model type='virtio'/>
                  <teaming type='persistent'/>
                  <alias name='ua-sriov-prod-0'/>
                </interface>
                <interface type='hostdev' managed='yes'>
                  <mac address='02:5a:00:00:00:07'/>
                  <source><address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/></source>
                  <teaming type='transient' persistent='ua-sriov-prod-0'/>
                </interface>
              </devices>
            </domain>
            """)
        #expect(parsed.numa == GuestNUMATuning(memoryNodeset: "1", vcpuCPUSet: "4-7", vcpuPins: ["4", "5,^4"]))
        #expect(parsed.otherInterfaceMACs == [MACAddress("02:5a:00:00:00:07")!])
        #expect(parsed.hostdevInterfaces.map(\.mac) == [MACAddress("02:5a:00:00:00:07")!])
        let topology = NUMATopology(cpusByNode: [0: Set(0...3), 1: Set(4...7)])
        #expect(parsed.numa.nodes(topology: topology)?.nodes == [1])
        #expect(parsed.numa.nodes(topology: topology)?.source == "libvirt <numatune> memory nodeset 1")
    }

    @Test("a guest pinned only by <vcpupin> maps its CPUs to nodes through the host's cpulists")
    func vcpupin() throws {
        let parsed = try DomainXMLParser.parse("""
            <domain type='kvm'><name>web2</name>
              <vcpu>2</vcpu>
              <cputune><vcpupin vcpu='0' cpuset='2'/><vcpupin vcpu='1' cpuset='3'/></cputune>
              <devices/>
            </domain>
            """)
        let topology = NUMATopology(cpusByNode: [0: Set(0...1), 1: Set(2...3)])
        let found = try #require(parsed.numa.nodes(topology: topology))
        #expect(found.nodes == [1])
        #expect(found.source == "libvirt <vcpupin> CPUs 2-3")
        #expect(parsed.numa.memoryNodes == nil, "no <numatune>: audit does not judge it")
    }

    @Test("an unpinned guest has no node; unreadable sets are ignored, not guessed")
    func unpinned() throws {
        let parsed = try DomainXMLParser.parse("<domain><name>x</name><vcpu>1</vcpu><devices/></domain>")
        #expect(parsed.numa.isEmpty)
        #expect(parsed.numa.nodes(topology: NUMATopology(cpusByNode: [0: [0]])) == nil)
        let odd = GuestNUMATuning(memoryNodeset: "one", vcpuCPUSet: "3-1")
        #expect(odd.nodes(topology: NUMATopology(cpusByNode: [0: [0, 1, 2, 3]])) == nil)
        #expect(CPUList.parse("0-3,8,10-11,^2") == [0, 1, 3, 8, 10, 11])
        #expect(CPUList.parse("0-") == nil && CPUList.parse("a") == nil && CPUList.parse("99999999") == nil)
    }
}
