public import Foundation
import Glibc
public import SRIOVLinux

/// The kernel's handlers for the sysfs writes SR-IOV provisioning makes, over a
/// ``SysfsFixture`` (give it to a `SysfsTree` as its write handler): `sriov_numvfs` as
/// linux 6.1 `sriov_numvfs_store` answers it (EINVAL for a non-number, ERANGE above
/// `sriov_totalvfs`, the same count accepted as is, ENOENT without a PF driver or one with
/// no `sriov_configure`, EBUSY for N → M, the driver's own refusal, fewer VFs than asked),
/// `sriov_drivers_autoprobe`, `driver_override`, a driver's `unbind`, and `drivers_probe`
/// (a probe that fails leaves the device unbound and the write succeeds).
///
/// Creating VFs adds their PCI functions, `virtfnN`/`physfn` links, the driver autoprobe
/// binds (and that driver's netdev), and one IOMMU group per VF; removing them takes all
/// that away. The cases in `Tests/Contract/sysfs-device-cases.json` hold this model, the
/// sysfs adapter over it and ``SimulatedSRIOVHost`` to the same answers, and the lab checks
/// the cases marked `lab` on a real kernel.
public final class SysfsKernelModel: SysfsWriteHandling, @unchecked Sendable {
    /// What the PF's driver does beyond what the tree shows.
    public struct PFDriver: Sendable {
        /// The driver VFs bind to when `sriov_drivers_autoprobe` is 1 (`nil`: none matches).
        public var vfDriver: String?
        /// The driver enables at most this many VFs (and reports success).
        public var enableLimit: Int?
        /// The errno the driver's `sriov_configure` fails with when enabling VFs.
        public var refusal: Int32?
        /// The driver has no `sriov_configure` (a legacy driver that takes `max_vfs`).
        public var lacksSRIOVConfigure: Bool
        /// VF `index`'s PCI address.
        public var vfAddress: @Sendable (Int) -> String

        /// Describes a PF driver.
        public init(vfDriver: String? = nil, enableLimit: Int? = nil, refusal: Int32? = nil,
                    lacksSRIOVConfigure: Bool = false, vfAddress: @escaping @Sendable (Int) -> String) {
            self.vfDriver = vfDriver
            self.enableLimit = enableLimit
            self.refusal = refusal
            self.lacksSRIOVConfigure = lacksSRIOVConfigure
            self.vfAddress = vfAddress
        }
    }

    /// The tree the writes change.
    public let fixture: SysfsFixture
    private let lock = NSLock()
    private var drivers: [String: PFDriver] = [:]
    private var probeRefusals: Set<String> = []

    /// A model over `fixture`.
    public init(_ fixture: SysfsFixture) { self.fixture = fixture }

    /// Sets what the driver of the PF `device` (its PCI address) does.
    public func setDriver(_ driver: PFDriver, forPF device: String) {
        lock.withLock { drivers[device] = driver }
    }

    /// Makes every probe of `device` by `driver` fail (vfio-pci refusing a device): the
    /// device stays unbound, and the `drivers_probe` write still succeeds, as in the kernel.
    public func refuseProbe(of device: String, by driver: String) {
        lock.withLock { _ = probeRefusals.insert("\(driver) \(device)") }
    }

    // MARK: SysfsWriteHandling

    public func write(_ value: String, to relative: String) -> Int32 {
        lock.lock()
        defer { lock.unlock() }
        guard FileManager.default.fileExists(atPath: "\(fixture.root)/\(relative)") else { return ENOENT }
        let attribute = (relative as NSString).lastPathComponent
        let text = value.trimmingCharacters(in: .whitespacesAndNewlines)
        // Where the attribute really is (`<device>/driver/unbind` is the driver's own file).
        guard let directory = deviceDirectory(of: relative) else { return EINVAL }
        let parts = directory.split(separator: "/").map(String.init)
        do {
            if parts.count == 4, parts[0] == "bus", parts[1] == "pci", parts[2] == "drivers", attribute == "unbind" {
                return try unbind(text, from: parts[3])
            }
            if directory == "bus/pci", attribute == "drivers_probe" { return try probe(text) }
            let device = directory
            switch Optional(attribute) {
            case "sriov_numvfs"?: return try numVFs(text, pfDir: device)
            case "sriov_drivers_autoprobe"?:
                guard let enabled = Self.bool(text) else { return EINVAL }
                try fixture.write("\(device)/sriov_drivers_autoprobe", enabled ? "1" : "0")
                return 0
            case "driver_override"?:
                try fixture.write("\(device)/driver_override", text.isEmpty ? "(null)" : text)
                return 0
            default:
                try fixture.write(relative, text)
                return 0
            }
        } catch {
            return EIO
        }
    }

    // MARK: sriov_numvfs

    private func numVFs(_ text: String, pfDir: String) throws -> Int32 {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return EINVAL }
        guard let count = UInt16(text).map(Int.init) else { return ERANGE }
        let total = fixture.read("\(pfDir)/sriov_totalvfs").flatMap { Int($0) } ?? 0
        if count > total { return ERANGE }
        let current = fixture.read("\(pfDir)/sriov_numvfs").flatMap { Int($0) } ?? 0
        if count == current { return 0 }
        let address = (pfDir as NSString).lastPathComponent
        guard linkTarget("\(pfDir)/driver") != nil else { return ENOENT }
        let driver = drivers[address] ?? PFDriver(vfAddress: { "\(address)-vf\($0)" })
        if driver.lacksSRIOVConfigure { return ENOENT }
        if count == 0 {
            try removeVFs(pfDir: pfDir, count: current)
            try fixture.write("\(pfDir)/sriov_numvfs", "0")
            return 0
        }
        if current != 0 { return EBUSY }
        if let refusal = driver.refusal { return refusal }
        let enabled = min(count, driver.enableLimit ?? count)
        let autoprobe = fixture.read("\(pfDir)/sriov_drivers_autoprobe") != "0"
        let pfNetdev = fixture.list("\(pfDir)/net").first
        for index in 0..<enabled {
            let vfAddress = driver.vfAddress(index)
            let bound = autoprobe ? driver.vfDriver : nil
            let vfDir = try fixture.addVF(pfDir: pfDir, index: index, address: vfAddress, driver: bound)
            try fixture.addIOMMUGroup(Self.iommuGroup(of: vfAddress), devices: [vfDir])
            if bound != nil, let pfNetdev { try fixture.addNetdev("\(pfNetdev)v\(index)", deviceDir: vfDir) }
        }
        try fixture.write("\(pfDir)/sriov_numvfs", "\(enabled)")
        return 0
    }

    private func removeVFs(pfDir: String, count: Int) throws {
        for index in 0..<count {
            guard let vfDir = canonicalRelative("\(pfDir)/virtfn\(index)") else { continue }
            let vfAddress = (vfDir as NSString).lastPathComponent
            for netdev in fixture.list("\(vfDir)/net") { try? fixture.remove("class/net/\(netdev)") }
            try? fixture.remove("kernel/iommu_groups/\(Self.iommuGroup(of: vfAddress))")
            try? fixture.remove("bus/pci/devices/\(vfAddress)")
            try fixture.remove(vfDir)
            try fixture.remove("\(pfDir)/virtfn\(index)")
        }
    }

    /// A VF's IOMMU group: 1000 + its bus, slot and function, so that every VF is alone in one.
    static func iommuGroup(of address: String) -> Int {
        let digits = address.split(separator: ":").dropFirst().joined().replacingOccurrences(of: ".", with: "")
        return 1000 + (Int(digits, radix: 16) ?? 0)
    }

    // MARK: Binding

    private func unbind(_ device: String, from driver: String) throws -> Int32 {
        guard let dir = canonicalRelative("bus/pci/devices/\(device)"),
              linkTarget("\(dir)/driver") == driver else { return ENODEV }
        try unbindDevice(dir)
        return 0
    }

    private func unbindDevice(_ dir: String) throws {
        for netdev in fixture.list("\(dir)/net") {
            try? fixture.remove("class/net/\(netdev)")
            try fixture.remove("\(dir)/net/\(netdev)")
        }
        try fixture.remove("\(dir)/driver")
    }

    private func probe(_ device: String) throws -> Int32 {
        guard let dir = canonicalRelative("bus/pci/devices/\(device)") else { return ENODEV }
        if linkTarget("\(dir)/driver") != nil { return 0 }
        guard let override = fixture.read("\(dir)/driver_override"), override != "(null)", !override.isEmpty,
              FileManager.default.fileExists(atPath: "\(fixture.root)/bus/pci/drivers/\(override)") else { return 0 }
        if probeRefusals.contains("\(override) \(device)") { return 0 }
        try fixture.bind(dir, to: override)
        return 0
    }

    // MARK: Paths

    /// The device directory (relative, links resolved) an attribute path is in.
    private func deviceDirectory(of relative: String) -> String? {
        canonicalRelative((relative as NSString).deletingLastPathComponent)
    }

    /// `relative` with every link resolved, relative to the fixture's root.
    private func canonicalRelative(_ relative: String) -> String? {
        guard let resolved = realpath("\(fixture.root)/\(relative)", nil) else { return nil }
        defer { free(resolved) }
        let path = String(cString: resolved)
        guard let rootResolved = realpath(fixture.root, nil) else { return nil }
        defer { free(rootResolved) }
        let root = String(cString: rootResolved)
        guard path.hasPrefix(root + "/") else { return nil }
        return String(path.dropFirst(root.count + 1))
    }

    private func linkTarget(_ relative: String) -> String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(fixture.root)/\(relative)"))
            .flatMap { $0.split(separator: "/").last.map(String.init) }
    }

    /// The kernel's `kstrtobool`: 1/0, y/n, on/off.
    private static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "y", "yes", "on": return true
        case "0", "n", "no", "off": return false
        default: return nil
        }
    }
}
