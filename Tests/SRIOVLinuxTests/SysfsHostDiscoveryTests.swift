import Foundation
import SRIOVCore
import SRIOVLinux
import SRIOVTesting
import Testing

@Suite("sysfs discovery")
struct SysfsHostDiscoveryTests {
    func discover(_ fixture: SysfsFixture) -> HostInventory {
        SysfsHostDiscovery(sysfs: SysfsTree(root: fixture.root)).discover()
    }

    @Test("One PF looked up by name reads as the whole host shows it, and a name no PF has fails the same way")
    func onePFByName() throws {
        let fixtures = [try HostFixtures.intel82576(), try HostFixtures.twoNodes(), try HostFixtures.mellanoxSplit(),
                        try HostFixtures.igbLegacy(), try HostFixtures.netdevsim()]
        for fixture in fixtures {
            let discovery = SysfsHostDiscovery(sysfs: SysfsTree(root: fixture.root))
            let inventory = discovery.discover()
            #expect(!inventory.pfs.isEmpty)
            var names = inventory.pfs.flatMap { $0.netdevs + [$0.sysfsDevice] + ($0.pciAddress.map { [$0.description] } ?? []) }
            // VF netdevs and addresses, a missing name, and names that are paths: not PFs.
            names += inventory.pfs.flatMap { $0.vfs.compactMap(\.netdev) + $0.vfs.compactMap { $0.pciAddress?.description } }
            names += ["eth99", "0000:ff:1f.7", "", ".", "..", "../eth0", "net"]
            for name in names {
                let whole = Result { () throws(SRIOVError) in try inventory.pf(matching: name) }
                let alone = Result { () throws(SRIOVError) in try discovery.discoverPF(matching: name) }
                switch (whole, alone) {
                case (.success(let expected), .success(let found)):
                    #expect(found == expected, "\(name) in \(fixture.root)")
                case (.failure(let expected), .failure(let found)):
                    #expect(found.message == expected.message, "\(name) in \(fixture.root)")
                default:
                    Issue.record("\(name) in \(fixture.root): the whole host says \(whole), the lookup \(alone)")
                }
            }
        }
    }

    @Test("Intel 82576: two igb PFs with seven igbvf VFs each, VF addresses from virtfn links")
    func intel82576() throws {
        let fixture = try HostFixtures.intel82576()
        let inventory = discover(fixture)
        #expect(inventory.warnings.isEmpty)
        #expect(inventory.pfs.map(\.name) == ["eth0", "eth1"])
        let pf0 = try #require(inventory.pfs.first)
        #expect(pf0.pciAddress?.description == "0000:0b:00.0")
        #expect(pf0.driver == "igb")
        #expect(pf0.vendorID == "0x8086" && pf0.deviceID == "0x10c9")
        #expect(pf0.totalVFs == 7 && pf0.numVFs == 7)
        #expect(pf0.driversAutoprobe == true)
        #expect(pf0.numaNode == 0)
        #expect(pf0.linkState == "up")
        #expect(pf0.vfs.map(\.index) == Array(0..<7))
        #expect(pf0.vfs.map { $0.pciAddress!.description } ==
            ["0000:0b:10.0", "0000:0b:10.2", "0000:0b:10.4", "0000:0b:10.6", "0000:0b:11.0", "0000:0b:11.2", "0000:0b:11.4"])
        #expect(pf0.vfs.allSatisfy { $0.driver == "igbvf" })
        #expect(pf0.vfs.first?.netdev == "eth2")
        #expect(pf0.vfs.first?.libvirtNodeDevice == "pci_0000_0b_10_0")
        #expect(pf0.vfs.first?.iommuGroupDevices == ["0000:0b:10.0"])
        let pf1 = inventory.pfs[1]
        #expect(pf1.vfs.first?.pciAddress?.description == "0000:0b:10.1")
    }

    @Test("Mellanox-style PF with VFs split between mlx5_core and vfio-pci")
    func mellanoxSplit() throws {
        let fixture = try HostFixtures.mellanoxSplit()
        let pf = try #require(discover(fixture).pfs.first)
        #expect(pf.name == "ens1f0")
        #expect(pf.numaNode == 1)
        #expect(pf.vfs.map(\.driver) == ["mlx5_core", "mlx5_core", "vfio-pci", "vfio-pci"])
        #expect(pf.vfs.map(\.netdev) == ["ens1f0v0", "ens1f0v1", nil, nil])
        #expect(pf.vfs.map(\.iommuGroup) == [40, 41, 42, 43])
    }

    @Test("An IOMMU group shared by root ports and endpoints (seed 000) lists every member")
    func sharedGroup() throws {
        let fixture = try HostFixtures.sharedIOMMUGroup()
        let pf = try #require(discover(fixture).pfs.first)
        let vf = try #require(pf.vfs.first)
        #expect(vf.iommuGroup == 8)
        #expect(vf.iommuGroupDevices == ["0000:00:1c.0", "0000:00:1c.4", "0000:04:00.0", "0000:04:10.0", "0000:05:00.0"])
        #expect(vf.driver == nil)
    }

    @Test("netdevsim: a non-PCI PF whose VFs are known by index only")
    func netdevsim() throws {
        let fixture = try HostFixtures.netdevsim(numVFs: 4)
        let inventory = discover(fixture)
        let pf = try #require(inventory.pfs.first)
        #expect(pf.kind == .netdevsim)
        #expect(pf.name == "eni10np1")
        #expect(pf.sysfsDevice == "netdevsim10")
        #expect(pf.pciAddress == nil && pf.totalVFs == nil)
        #expect(pf.numVFs == 4)
        #expect(pf.driver == "netdevsim")
        #expect(pf.vfs.map(\.index) == [0, 1, 2, 3])
        #expect(pf.vfs.allSatisfy { $0.pciAddress == nil && $0.iommuGroup == nil })
    }

    @Test("An odd sysfs value becomes a warning naming the path; the rest is still listed")
    func oddEntries() throws {
        let fixture = try HostFixtures.intel82576()
        try fixture.write("devices/pci0000:00/0000:00:01.0/0000:0b:00.1/sriov_numvfs", "garbage")
        let inventory = discover(fixture)
        #expect(inventory.pfs.count == 2)
        #expect(inventory.pfs[1].numVFs == nil)
        #expect(inventory.pfs[1].vfs.count == 7)
        #expect(inventory.warnings.contains { $0.contains("0000:0b:00.1/sriov_numvfs") && $0.contains("garbage") })
    }

    @Test("A PF is found by netdev name, PCI address or sysfs name; an unknown one is named in the error")
    func pfLookup() throws {
        let inventory = discover(try HostFixtures.intel82576())
        #expect(try inventory.pf(matching: "eth1").pciAddress?.description == "0000:0b:00.1")
        #expect(try inventory.pf(matching: "0000:0b:00.0").name == "eth0")
        #expect(try inventory.pf(matching: "0b:00.0").name == "eth0")
        #expect(throws: SRIOVError.self) { try inventory.pf(matching: "eth9") }
        do {
            _ = try inventory.pf(matching: "eth9")
        } catch {
            #expect(error.message == "unknown PF 'eth9' (known PFs: eth0, eth1)")
        }
    }

    @Test("An empty host yields no PFs and no warnings")
    func emptyHost() throws {
        let inventory = discover(try SysfsFixture())
        #expect(inventory.pfs.isEmpty && inventory.warnings.isEmpty)
    }
}
