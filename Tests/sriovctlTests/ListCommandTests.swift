import Foundation
import SRIOVTesting
import Testing

/// `sriovctl list` run as a user runs it, against sysfs fixtures.
@Suite("sriovctl list")
struct ListCommandTests {
    func listJSON(_ fixture: SysfsFixture) async throws -> [String: Any] {
        let result = try await SriovctlProcess.run(["list", "--json", "--no-netlink", "--sysfs-root", fixture.root])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test("list --json reports the 82576's PFs and VFs in the documented shape")
    func json82576() async throws {
        let json = try await listJSON(try HostFixtures.intel82576())
        #expect(json["schemaVersion"] as? Int == 1)
        let pfs = try #require(json["pfs"] as? [[String: Any]])
        #expect(pfs.count == 2)
        let pf = pfs[0]
        #expect(pf["name"] as? String == "eth0")
        #expect(pf["pciAddress"] as? String == "0000:0b:00.0")
        #expect(pf["kind"] as? String == "pci")
        #expect(pf["driver"] as? String == "igb")
        #expect(pf["totalVFs"] as? Int == 7)
        #expect(pf["numVFs"] as? Int == 7)
        #expect(pf["vendorId"] as? String == "0x8086")
        let vfs = try #require(pf["vfs"] as? [[String: Any]])
        #expect(vfs.count == 7)
        #expect(vfs[1]["pciAddress"] as? String == "0000:0b:10.2")
        #expect(vfs[1]["libvirtNodeDevice"] as? String == "pci_0000_0b_10_2")
        #expect(vfs[1]["driver"] as? String == "igbvf")
        // Absent values are explicit nulls, so every documented key is always present.
        #expect(vfs[1].keys.contains("live") && vfs[1]["live"] is NSNull)
    }

    @Test("list --json on netdevsim: null PCI fields, VFs by index")
    func jsonNetdevsim() async throws {
        let json = try await listJSON(try HostFixtures.netdevsim(numVFs: 3))
        let pf = try #require((json["pfs"] as? [[String: Any]])?.first)
        #expect(pf["kind"] as? String == "netdevsim")
        #expect(pf["pciAddress"] is NSNull)
        #expect((pf["vfs"] as? [[String: Any]])?.map { $0["index"] as? Int } == [0, 1, 2])
    }

    @Test("No SR-IOV device: says so plainly and exits 0")
    func emptyHost() async throws {
        let fixture = try SysfsFixture()
        let result = try await SriovctlProcess.run(["list", "--no-netlink", "--sysfs-root", fixture.root])
        #expect(result.status == 0)
        #expect(result.stdout.contains("No SR-IOV devices found"))
    }

    @Test("The table shows PF rows with VF rows under them")
    func table() async throws {
        let fixture = try HostFixtures.mellanoxSplit()
        let result = try await SriovctlProcess.run(["list", "--no-netlink", "--sysfs-root", fixture.root])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("DEVICE"))
        #expect(lines[1].hasPrefix("ens1f0") && lines[1].contains("0000:3b:00.0") && lines[1].contains("4/8"))
        #expect(lines[4].contains("vf 2") && lines[4].contains("vfio-pci"))
    }

    @Test("An odd sysfs entry prints a warning on stderr and the listing still appears")
    func warning() async throws {
        let fixture = try HostFixtures.mellanoxSplit()
        try fixture.write("devices/pci0000:00/0000:3b:00.0/sriov_totalvfs", "lots")
        let result = try await SriovctlProcess.run(["list", "--no-netlink", "--sysfs-root", fixture.root])
        #expect(result.status == 0)
        #expect(result.stdout.contains("ens1f0"))
        #expect(result.stderr.contains("warning: ") && result.stderr.contains("sriov_totalvfs"))
    }
}
