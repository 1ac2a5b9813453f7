import Foundation
import Glibc
import SRIOVCore
import SRIOVLinux
import SRIOVTesting
import Testing

/// The sysfs provisioning contract (Tests/Contract/sysfs-device-cases.json), run against
/// ``SimulatedSRIOVHost`` (what the provisioning tests use) and against the sysfs adapter on
/// a fixture tree whose writes ``SysfsKernelModel`` answers as the kernel does. The lab runs
/// the cases marked `lab` on a real kernel (QEMU's NVMe PF), so a simulator or a model that
/// differs from the kernel fails a test somewhere.
@Suite("sysfs provisioning contract: simulator and adapter")
struct SysfsDeviceContractTests {
    struct PFSpec: Decodable, Sendable {
        var totalVFs: Int
        var driver: String?
        var vfDriver: String?
        var autoprobe: Bool
    }

    /// One step and the outcome it must have (no code: success).
    struct Step: Decodable, Sendable {
        var numvfs: Int?
        var autoprobe: Bool?
        var vfio: Int?
        var code: String?
        var errno: Int32?
        var message: String?

        var label: String {
            if let numvfs { return "numvfs \(numvfs)" }
            if let autoprobe { return "autoprobe \(autoprobe)" }
            return "vfio \(vfio ?? -1)"
        }
    }

    struct After: Decodable, Sendable {
        var numVFs: Int
        var drivers: [String?]
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var lab: Bool?
        var quirk: String?
        var pf: PFSpec
        var steps: [Step]
        var after: After
        var testDescription: String { name }

        /// The number after `prefix` in the quirk (`enableLimit:2` → 2).
        func quirkValue(_ prefix: String) -> String? {
            guard let quirk, quirk.hasPrefix(prefix + ":") else { return nil }
            return String(quirk.dropFirst(prefix.count + 1))
        }
    }

    static let cases: [Case] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Contract/sysfs-device-cases.json")
        struct Document: Decodable { var cases: [Case] }
        guard let data = try? Data(contentsOf: file),
              let document = try? JSONDecoder().decode(Document.self, from: data) else { return [] }
        return document.cases
    }()

    static let pfAddress = PCIAddress("0000:0b:00.0")!
    static let errnos: [String: Int32] = ["ENOSPC": ENOSPC, "ENOMEM": ENOMEM, "EIO": EIO, "EINVAL": EINVAL]

    /// VF `index`'s address, the same on both sides.
    static func vfAddress(_ index: Int) -> PCIAddress { SimulatedSRIOVHost.vfAddress(pf: pfAddress, index: index)! }

    /// One side of the contract: a way to discover the PF and to change it.
    struct Side {
        var discovery: any HostDiscovering
        var devices: any SRIOVDeviceControlling
        var keepAlive: AnyObject
    }

    enum Subject: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case simulator, adapter
        var testDescription: String {
            self == .simulator ? "SimulatedSRIOVHost" : "SysfsSRIOVDeviceControl over a kernel-modelled fixture"
        }

        func make(_ c: Case) throws -> Side {
            let limit = c.quirkValue("enableLimit").flatMap { Int($0) }
            let refusal = try c.quirkValue("refuses").map { try #require(SysfsDeviceContractTests.errnos[$0], "errno \($0)") }
            let vfioRefused = c.quirkValue("vfioRefuses").flatMap { Int($0) }
            switch self {
            case .simulator:
                let host = SimulatedSRIOVHost([SimulatedSRIOVHost.PF(
                    netdev: "eth0", pciAddress: SysfsDeviceContractTests.pfAddress, driver: c.pf.driver, totalVFs: c.pf.totalVFs,
                    autoprobe: c.pf.autoprobe, vfDriver: c.pf.vfDriver, legacy: c.quirk == "legacyDriver", enableLimit: limit)])
                if let refusal { host.driverRefusals[SysfsDeviceContractTests.pfAddress.description] = refusal }
                host.vfioLoaded = c.quirk != "noVFIO"
                if let vfioRefused { host.vfioRefusals = [SysfsDeviceContractTests.vfAddress(vfioRefused)] }
                return Side(discovery: host, devices: host, keepAlive: host)
            case .adapter:
                let fixture = try SysfsFixture()
                let pfDir = try fixture.addPCIDevice(SysfsDeviceContractTests.pfAddress.description, driver: c.pf.driver)
                try fixture.makePF(pfDir, totalVFs: c.pf.totalVFs, numVFs: 0, autoprobe: c.pf.autoprobe)
                try fixture.addNetdev("eth0", deviceDir: pfDir)
                if let vfDriver = c.pf.vfDriver { try fixture.addDriver(vfDriver) }
                if c.quirk != "noVFIO" { try fixture.addDriver("vfio-pci") }
                let kernel = SysfsKernelModel(fixture)
                kernel.setDriver(.init(vfDriver: c.pf.vfDriver, enableLimit: limit, refusal: refusal,
                                       lacksSRIOVConfigure: c.quirk == "legacyDriver",
                                       vfAddress: { SysfsDeviceContractTests.vfAddress($0).description }),
                                 forPF: SysfsDeviceContractTests.pfAddress.description)
                if let vfioRefused { kernel.refuseProbe(of: SysfsDeviceContractTests.vfAddress(vfioRefused).description, by: "vfio-pci") }
                let sysfs = SysfsTree(root: fixture.root, writeHandler: kernel)
                return Side(discovery: SysfsHostDiscovery(sysfs: sysfs), devices: SysfsSRIOVDeviceControl(sysfs: sysfs),
                            keepAlive: kernel)
            }
        }
    }

    @Test("the case file is there, every quirk is known, and some cases run in the lab")
    func caseFile() {
        #expect(Self.cases.count >= 12)
        #expect(Self.cases.allSatisfy { c in
            c.quirk == nil || ["legacyDriver", "noVFIO"].contains(c.quirk!) || c.quirkValue("enableLimit") != nil
                || c.quirkValue("vfioRefuses") != nil || c.quirkValue("refuses").flatMap { Self.errnos[$0] } != nil
        })
        #expect(Self.cases.contains { $0.lab == true })
    }

    @Test("each case gives the same outcomes and the same PF afterwards", arguments: Subject.allCases, cases)
    func contract(_ subject: Subject, _ c: Case) throws {
        let side = try subject.make(c)
        func pf() throws -> PhysicalFunction { try side.discovery.discover().pf(matching: "eth0") }
        for step in c.steps {
            let current = try pf()
            var failure: SRIOVError?
            do throws(SRIOVError) {
                if let count = step.numvfs { try side.devices.writeNumVFs(count, on: current) }
                if let enabled = step.autoprobe { try side.devices.setDriversAutoprobe(enabled, on: current) }
                if let index = step.vfio { try side.devices.bindVFIO(Self.vfAddress(index)) }
            } catch {
                failure = error
            }
            #expect(failure?.code.rawValue == step.code, "\(step.label): \(failure?.message ?? "succeeded")")
            if let errno = step.errno { #expect(failure?.errno == errno, "\(step.label) errno") }
            if let message = step.message {
                #expect(failure?.message.contains(message) == true, "\(step.label): \(failure?.message ?? "succeeded")")
            }
        }
        let after = try pf()
        #expect(try side.devices.readNumVFs(of: after) == c.after.numVFs, "sriov_numvfs")
        #expect(after.vfs.map(\.index) == Array(0..<c.after.numVFs), "VFs discovered")
        #expect(after.vfs.map(\.driver) == c.after.drivers, "VF drivers")
        #expect(after.vfs.map(\.pciAddress) == (0..<c.after.numVFs).map { Optional(Self.vfAddress($0)) }, "VF addresses")
        // What provisioning waits for after a write is all there (links, and the netdevs of bound network VFs).
        #expect(throws: Never.self) { try side.devices.waitForVFs(c.after.numVFs, of: after, timeout: .zero) }
        withExtendedLifetime(side.keepAlive) {}
    }
}
