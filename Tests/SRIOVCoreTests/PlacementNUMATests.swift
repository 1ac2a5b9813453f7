import SRIOVCore
import SRIOVTesting
import Testing

/// NUMA-aware and link-aware VF choice (issue 16) on a two-node host.
@Suite("Placement: NUMA and link")
struct PlacementNUMATests {
    /// Two PCI PFs on network `prod`, listed node 0 first: `enp59s0f0` (node 0, 2 VFs) and
    /// `enp175s0f0` (node 1, 2 VFs). Guests: `db1` pinned by <numatune> to node 1, `web2`
    /// pinned by <vcpupin> to CPUs 2-3 (node 1), `free1` unpinned. Node 0 has CPUs 0-1.
    func twoNodeHost(policy: NUMAPolicy = .preferred) -> AttachmentFixture {
        let fixture = AttachmentFixture()
        var (pf0, status0) = FakeHostBuilder.pciPF("enp59s0f0", address: "0000:3b:00.0", vfs: 2, firstVF: "0000:3b:02.0")
        var (pf1, status1) = FakeHostBuilder.pciPF("enp175s0f0", address: "0000:af:00.0", vfs: 2, firstVF: "0000:af:02.0",
                                                   firstGroup: 40)
        pf0.numaNode = 0
        pf1.numaNode = 1
        status0.ifindex = 20
        status1.ifindex = 21
        fixture.discovery.set(HostInventory(pfs: [pf0, pf1]))
        fixture.links.setPF(status0)
        fixture.links.setPF(status1)
        fixture.config.networks = [NetworkDefinition(name: "prod", pfs: [.netdev("enp59s0f0"), .netdev("enp175s0f0")],
                                                     numa: policy)]
        for (n, name, tuning) in [(1, "db1", GuestNUMATuning(memoryNodeset: "1")),
                                  (2, "web2", GuestNUMATuning(vcpuPins: ["2", "3"])),
                                  (3, "free1", GuestNUMATuning())] {
            fixture.libvirt.define(GuestDefinition(name: name, uuid: "6f1c1a2e-0000-4000-8000-00000000010\(n)",
                                                   isActive: false, hostdevInterfaces: [],
                                                   numa: tuning.isEmpty ? nil : tuning))
        }
        return fixture
    }

    struct Topology: NUMATopologyReading {
        func numaTopology() -> NUMATopology { NUMATopology(cpusByNode: [0: [0, 1], 1: [2, 3]]) }
    }

    func attach(_ fixture: AttachmentFixture, _ guest: String, libvirt: Bool = true,
                _ configure: (inout AttachRequest) -> Void = { _ in }) throws(SRIOVError) -> AttachmentResult {
        var environment = fixture.environment(libvirt: libvirt)
        environment.numa = Topology()
        var request = AttachRequest(guest: guest, network: "prod")
        if libvirt { request.libvirt = LibvirtApply() }
        configure(&request)
        return try AttachmentService(environment: environment).attach(request).result
    }

    @Test("preferred: a guest pinned by <numatune> to node 1 gets a node-1 VF although node 0 is listed first")
    func numatunePrefersLocal() throws {
        let fixture = twoNodeHost()
        let result = try attach(fixture, "db1")
        #expect(result.pf.netdev == "enp175s0f0")
        #expect(result.notes.allSatisfy { !$0.contains("remote") })
    }

    @Test("preferred: a guest pinned by <vcpupin> to CPUs of node 1 gets a node-1 VF")
    func vcpupinPrefersLocal() throws {
        let fixture = twoNodeHost()
        #expect(try attach(fixture, "web2").pf.netdev == "enp175s0f0")
        #expect(try attach(fixture, "free1").pf.netdev == "enp59s0f0", "an unpinned guest keeps the network's order")
    }

    @Test("preferred: when node 1 is full the guest gets a node-0 VF, with a note saying it is remote")
    func preferredFallsBack() throws {
        let fixture = twoNodeHost()
        _ = try attach(fixture, "a", libvirt: false) { $0.numaNode = 1 }
        _ = try attach(fixture, "b", libvirt: false) { $0.numaNode = 1 }
        let result = try attach(fixture, "db1")
        #expect(result.pf.netdev == "enp59s0f0")
        #expect(result.notes.contains { $0.contains("enp59s0f0 VF 0 is on NUMA node 0, remote from the guest") })
    }

    @Test("required: refused when no local VF is free, naming the nodes that have free VFs; nothing recorded")
    func requiredRefuses() throws {
        let fixture = twoNodeHost(policy: .required)
        _ = try attach(fixture, "a", libvirt: false) { $0.numaNode = 0 }
        _ = try attach(fixture, "b", libvirt: false) { $0.numaNode = 0 }
        let before = try fixture.tables()
        #expect {
            try attach(fixture, "c", libvirt: false) { $0.numaNode = 0 }
        } throws: { error in
            let e = error as! SRIOVError
            return e.code == .exhausted && e.message.contains("no free VF for c on prod on NUMA node 0")
                && e.message.contains("--numa-node 0") && e.message.hasSuffix("free VFs are on NUMA node 1 (2 free)")
        }
        #expect(try fixture.tables().leases == before.leases)
        #expect(try attach(fixture, "db1").pf.netdev == "enp175s0f0")
    }

    @Test("a PF whose node is unknown (-1) counts as local, and the note says so")
    func unknownNode() throws {
        let fixture = twoNodeHost(policy: .required)
        fixture.discovery.update { $0.pfs[0].numaNode = nil }
        let result = try attach(fixture, "x", libvirt: false) { $0.numaNode = 1 }
        #expect(result.pf.netdev == "enp59s0f0")
        #expect(result.notes.contains { $0.contains("enp59s0f0's NUMA node is unknown (sysfs numa_node is -1)") })
    }

    @Test("required with an unknown guest node: any VF qualifies, with a note")
    func requiredUnknownGuest() throws {
        let fixture = twoNodeHost(policy: .required)
        let result = try attach(fixture, "free1")
        #expect(result.pf.netdev == "enp59s0f0")
        #expect(result.notes.contains { $0.contains("has numa: required, but the guest's NUMA node is unknown") })
    }

    @Test("ignore: the guest's node plays no part")
    func ignorePolicy() throws {
        let fixture = twoNodeHost(policy: .ignore)
        #expect(try attach(fixture, "db1").pf.netdev == "enp59s0f0")
    }

    @Test("prefer_link_up: a PF whose link is down is passed over while another has a free VF, and never used silently")
    func linkAware() throws {
        let fixture = twoNodeHost(policy: .ignore)
        var down = FakeHostBuilder.status("enp59s0f0", vfs: 2)
        down.operState = "down"
        down.ifindex = 20
        fixture.links.setPF(down)
        let first = try attach(fixture, "a", libvirt: false)
        #expect(first.pf.netdev == "enp175s0f0")
        _ = try attach(fixture, "b", libvirt: false)
        let third = try attach(fixture, "c", libvirt: false)
        #expect(third.pf.netdev == "enp59s0f0")
        #expect(third.notes.contains { $0.contains("enp59s0f0's link is down (down)") && $0.contains("no VF on a PF with link up was free") })
        // prefer_link_up off: network order, but still a note.
        let other = twoNodeHost(policy: .ignore)
        other.links.setPF(down)
        other.config.networks[0].preferLinkUp = false
        let plain = try attach(other, "a", libvirt: false)
        #expect(plain.pf.netdev == "enp59s0f0")
        #expect(plain.notes.contains { $0.contains("link is down") && $0.contains("prefer_link_up is off") })
    }

    @Test("audit warns for an assigned VF remote from its guest's memory node")
    func auditRemote() throws {
        var input = AuditSnapshots.cleanHost()
        input.pfs[0].numaNode = 0
        let key = try #require(input.assignments.first).lease
        input.guests = input.guests?.map { guest in
            var guest = guest
            if guest.name == key.guest { guest.numa = GuestNUMATuning(memoryNodeset: "1") }
            return guest
        }
        let report = AuditEngine.audit(input)
        let finding = try #require(report.findings.first { $0.rule == .numaRemote })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("on NUMA node 0, but its memory is on node 1"))
        input.pfs[0].numaNode = nil
        #expect(!AuditEngine.audit(input).findings.contains { $0.rule == .numaRemote }, "unknown node: not judged")
    }
}
