import Foundation
import Glibc
public import SRIOVCore
import SRIOVLinux

/// An in-memory host that behaves like the kernel where provisioning cares: sysfs
/// discovery, `sriov_numvfs` (ERANGE above the total, the same count accepted, ENOENT for
/// legacy drivers, EBUSY for N → M, a driver's own refusal, drivers that enable fewer VFs
/// than asked), vfio-pci binding (vfio-pci not loaded, a probe that fails), netlink VF
/// state, modprobe.d files and module reloads. Every change is logged in ``log``.
///
/// Its sysfs side answers as the sysfs adapter does on the kernel, in the adapter's words:
/// the contract suite (`Tests/Contract/sysfs-device-cases.json`) runs the same cases against
/// both, and the lab against a real kernel.
///
/// One object plays every port (`HostDiscovering`, `SRIOVDeviceControlling`,
/// `KernelModuleControlling`, `VFLinkControlling`), so tests of ``ProvisionRunner`` can
/// check what the host looks like afterwards.
public final class SimulatedSRIOVHost: HostDiscovering, SRIOVDeviceControlling, KernelModuleControlling,
    VFLinkControlling, @unchecked Sendable {
    /// One simulated PF.
    public struct PF: Sendable {
        /// Netdev name (`nil`: no netdev, like an NVMe PF).
        public var netdev: String?
        /// PCI address; `nil` for a netdevsim device.
        public var pciAddress: PCIAddress?
        /// netdevsim device name when not PCI.
        public var sysfsDevice: String
        /// PF driver.
        public var driver: String?
        /// `sriov_totalvfs` (`nil` for netdevsim).
        public var totalVFs: Int?
        /// `sriov_numvfs`.
        public var numVFs: Int
        /// `sriov_drivers_autoprobe` (`nil`: absent).
        public var autoprobe: Bool?
        /// The driver VFs get when autoprobe is on (`nil`: none).
        public var vfDriver: String?
        /// Legacy driver: writing `sriov_numvfs` fails with ENOENT; `max_vfs` sets the count on reload.
        public var legacy: Bool
        /// The driver enables at most this many VFs (silently fewer than asked).
        public var enableLimit: Int?
        /// `IFLA_PERM_ADDRESS`.
        public var permanentMAC: MACAddress?
        /// Live VF state, by index.
        public var vfs: [VFState]
        /// VF drivers, by index.
        public var vfDrivers: [Int: String]
        /// IOMMU group of every VF, by index (default 100 + index, alone in it).
        public var sharedGroup: (group: Int, others: [IOMMUGroupPeer])?

        /// Creates a PF.
        public init(netdev: String?, pciAddress: PCIAddress?, sysfsDevice: String? = nil, driver: String?,
                    totalVFs: Int?, numVFs: Int = 0, autoprobe: Bool? = true, vfDriver: String? = nil,
                    legacy: Bool = false, enableLimit: Int? = nil, permanentMAC: MACAddress? = nil) {
            self.netdev = netdev
            self.pciAddress = pciAddress
            self.sysfsDevice = sysfsDevice ?? pciAddress?.description ?? "netdevsim0"
            self.driver = driver
            self.totalVFs = totalVFs
            self.numVFs = numVFs
            self.autoprobe = autoprobe
            self.vfDriver = vfDriver
            self.legacy = legacy
            self.enableLimit = enableLimit
            self.permanentMAC = permanentMAC
            self.vfs = (0..<numVFs).map { VFState.fresh($0) }
            self.vfDrivers = [:]
            if autoprobe != false, let vfDriver { for i in 0..<numVFs { vfDrivers[i] = vfDriver } }
        }

        /// The stable device name.
        public var device: String { pciAddress?.description ?? sysfsDevice }
    }

    private let lock = NSLock()
    private var _pfs: [PF]
    private var _log: [String] = []
    private var _files: [String: String] = [:]
    private var _moduleOptions: [String: [Int]] = [:]

    /// `max_vfs` parameter shape per module (default per-port).
    public var shapes: [String: MaxVFsParameterShape] = [:]
    /// The errno each PF's driver refuses to enable VFs with (its `sriov_configure` fails:
    /// ENOSPC when MSI-X vectors run out), by device name.
    public var driverRefusals: [String: Int32] = [:]
    /// VF indexes whose netlink programming the driver refuses (EOPNOTSUPP on the first
    /// attribute sent, worded as ``RTNetlinkVFControl`` words it), by netdev.
    public var failingVFs: [String: Set<Int>] = [:]
    /// VFs whose vfio-pci probe fails (the device is left without a driver, as the kernel leaves it).
    public var vfioRefusals: Set<PCIAddress> = []
    /// The vfio-pci driver is loaded (`/sys/bus/pci/drivers/vfio-pci` exists).
    public var vfioLoaded = true
    /// VFs that never appear (waiting times out), by device.
    public var slowDevices: Set<String> = []

    /// Creates a host with `pfs`.
    public init(_ pfs: [PF]) { _pfs = pfs }

    /// The PFs now.
    public var pfs: [PF] { lock.withLock { _pfs } }
    /// Every change made, in order (`0000:0b:00.0 sriov_numvfs=0`, `eth0 setlink VFs 0,1`...).
    public var log: [String] { lock.withLock { _log } }
    /// modprobe.d files by module.
    public var files: [String: String] {
        get { lock.withLock { _files } }
        set { lock.withLock { _files = newValue } }
    }

    /// The PF with device name `device`.
    public func pf(_ device: String) -> PF? { pfs.first { $0.device == device } }

    // MARK: HostDiscovering

    public func discover() -> HostInventory {
        let pfs = lock.withLock { _pfs }
        return HostInventory(pfs: pfs.map { sim in
            let vfs = (0..<sim.numVFs).map { index -> VirtualFunction in
                let address = sim.pciAddress.flatMap { Self.vfAddress(pf: $0, index: index) }
                let group = sim.pciAddress == nil ? nil : (sim.sharedGroup?.group ?? 100 + index)
                var members = address.map { [$0.description] } ?? []
                if let shared = sim.sharedGroup { members += shared.others.map(\.device) }
                return VirtualFunction(index: index, pciAddress: address, driver: sim.vfDrivers[index],
                                       netdev: nil, iommuGroup: group, iommuGroupDevices: members.sorted())
            }
            return PhysicalFunction(name: sim.netdev ?? sim.device, pciAddress: sim.pciAddress, sysfsDevice: sim.sysfsDevice,
                                    kind: sim.pciAddress == nil ? .netdevsim : .pci, driver: sim.driver,
                                    netdevs: sim.netdev.map { [$0] } ?? [], totalVFs: sim.totalVFs, numVFs: sim.numVFs,
                                    driversAutoprobe: sim.autoprobe, vfs: vfs)
        })
    }

    /// VF `index` of a PF at `pf`: bus + 1, slot index / 8, function index % 8.
    public static func vfAddress(pf: PCIAddress, index: Int) -> PCIAddress? {
        PCIAddress(domain: pf.domain, bus: pf.bus &+ 1, slot: UInt8(index / 8), function: UInt8(index % 8))
    }

    // MARK: SRIOVDeviceControlling

    public func setDriversAutoprobe(_ enabled: Bool, on pf: PhysicalFunction) throws(SRIOVError) {
        try mutate(pf) { sim throws(SRIOVError) in
            guard sim.autoprobe != nil else { throw SRIOVError(.system, "\(sim.device): no sriov_drivers_autoprobe") }
            sim.autoprobe = enabled
            return "\(sim.device) sriov_drivers_autoprobe=\(enabled ? 1 : 0)"
        }
    }

    public func writeNumVFs(_ count: Int, on pf: PhysicalFunction) throws(SRIOVError) {
        let device = pf.pciAddress?.description ?? pf.sysfsDevice
        let refusal = lock.withLock { driverRefusals[device] }
        try mutate(pf) { sim throws(SRIOVError) in
            // The order of linux 6.1 sriov_numvfs_store.
            func refused(_ code: Int32) -> SRIOVError {
                SysfsSRIOVDeviceControl.numVFsRefusal(errno: code, count: count, pf: pf, attributeExists: true)
            }
            if let total = sim.totalVFs, count > total { throw refused(ERANGE) }
            if count == sim.numVFs { return "\(sim.device) sriov_numvfs=\(count) (same)" }
            if sim.driver == nil || sim.legacy { throw refused(ENOENT) }
            if count != 0 && sim.numVFs != 0 { throw refused(EBUSY) }
            if count != 0, let refusal { throw refused(refusal) }
            let enabled = min(count, sim.enableLimit ?? count)
            sim.numVFs = enabled
            sim.vfs = (0..<enabled).map { VFState.fresh($0) }
            sim.vfDrivers = [:]
            if sim.autoprobe != false, let driver = sim.vfDriver { for i in 0..<enabled { sim.vfDrivers[i] = driver } }
            return "\(sim.device) sriov_numvfs=\(count)"
        }
    }

    public func readNumVFs(of pf: PhysicalFunction) throws(SRIOVError) -> Int {
        guard let sim = self.pf(pf.pciAddress?.description ?? pf.sysfsDevice) else { throw SRIOVError(.notFound, "gone") }
        return sim.numVFs
    }

    public func waitForVFs(_ count: Int, of pf: PhysicalFunction, timeout: Duration) throws(SRIOVError) {
        let device = pf.pciAddress?.description ?? pf.sysfsDevice
        if slowDevices.contains(device) {
            throw SRIOVError(.system, "\(device): after 10 s, still missing: VF 0 (no virtfn0 link)")
        }
        guard let sim = self.pf(device), sim.numVFs == count else {
            throw SRIOVError(.system, "\(device): sriov_numvfs is not \(count)")
        }
    }

    public func bindVFIO(_ vf: PCIAddress) throws(SRIOVError) {
        lock.lock()
        defer { lock.unlock() }
        var found: (pf: Int, index: Int)?
        for p in _pfs.indices {
            guard let pfAddress = _pfs[p].pciAddress else { continue }
            for index in 0..<_pfs[p].numVFs where Self.vfAddress(pf: pfAddress, index: index) == vf { found = (p, index) }
        }
        // The checks, the steps and the words of SysfsSRIOVDeviceControl.bindVFIO.
        guard let (p, index) = found else { throw SRIOVError(.notFound, "\(vf): no such PCI device") }
        guard vfioLoaded else {
            throw SRIOVError(.notSupported, "\(vf): the vfio-pci driver is not loaded (modprobe vfio-pci)")
        }
        if _pfs[p].vfDrivers[index] == "vfio-pci" { return }
        if vfioRefusals.contains(vf) {
            // Unbound from its driver, then vfio-pci's probe fails: no driver at all.
            if _pfs[p].vfDrivers.removeValue(forKey: index) != nil { _log.append("\(vf) driver=none") }
            throw SRIOVError(.system, "\(vf): not bound to vfio-pci after drivers_probe (no driver bound)")
        }
        _pfs[p].vfDrivers[index] = "vfio-pci"
        _log.append("\(vf) driver=vfio-pci")
    }

    public func hardwareAddress(ofNetdev netdev: String) -> NetdevHardwareAddress? { nil }

    public func iommuGroupMembers(_ group: Int) -> [IOMMUGroupPeer] {
        let pfs = lock.withLock { _pfs }
        for sim in pfs {
            guard let address = sim.pciAddress else { continue }
            let vfMembers = (0..<sim.numVFs).compactMap { index -> IOMMUGroupPeer? in
                let g = sim.sharedGroup?.group ?? 100 + index
                guard g == group, let vf = Self.vfAddress(pf: address, index: index) else { return nil }
                return IOMMUGroupPeer(device: vf.description, driver: sim.vfDrivers[index], pciClass: "0x020000")
            }
            if !vfMembers.isEmpty { return vfMembers + (sim.sharedGroup?.others ?? []) }
        }
        return []
    }

    // MARK: KernelModuleControlling

    public func moduleName(forDriver driver: String) -> String { driver }

    public func modprobeFilePath(module: String) -> String { "/etc/modprobe.d/sriovctl-\(module).conf" }

    public func readModprobeFile(module: String) -> String? { files[module] }

    public func writeModprobeFile(module: String, contents: String) throws(SRIOVError) {
        lock.withLock {
            _files[module] = contents
            _log.append("write \(modprobeFilePath(module: module))")
            let line = contents.split(separator: "\n").first { $0.hasPrefix("options ") } ?? ""
            let value = line.split(separator: "=").last.map(String.init) ?? ""
            _moduleOptions[module] = value.split(separator: ",").compactMap { Int($0) }
        }
    }

    public func maxVFsParameterShape(module: String) -> MaxVFsParameterShape { shapes[module] ?? .perPort }

    public func reload(module: String) throws(SRIOVError) {
        lock.withLock {
            _log.append("reload \(module)")
            let values = _moduleOptions[module] ?? []
            let ports = _pfs.indices.filter { _pfs[$0].driver == module }
                .sorted { (_pfs[$0].pciAddress?.description ?? "") < (_pfs[$1].pciAddress?.description ?? "") }
            for (position, p) in ports.enumerated() {
                let count = values.count == 1 ? values[0] : (position < values.count ? values[position] : 0)
                _pfs[p].numVFs = count
                _pfs[p].vfs = (0..<count).map { VFState.fresh($0) }
            }
        }
    }

    // MARK: VFLinkControlling

    public func readPF(_ netdev: String) throws(SRIOVError) -> PFLinkStatus {
        guard let sim = pfs.first(where: { $0.netdev == netdev }) else {
            throw SRIOVError(.notFound, "\(netdev): no such network interface")
        }
        return PFLinkStatus(ifindex: 1, name: netdev, permanentMAC: sim.permanentMAC, operState: "up",
                            numVFs: sim.numVFs, vfs: sim.vfs)
    }

    public func apply(_ changes: [VFChange], on netdev: String) -> VFApplyReport {
        lock.withLock {
            guard let p = _pfs.firstIndex(where: { $0.netdev == netdev }) else {
                return VFApplyReport(pf: netdev, outcomes: changes.map {
                    .init(index: $0.index, applied: [], error: SRIOVErrorRecord(
                        SRIOVError(.notFound, "\(netdev): no such network interface", errno: ENODEV)))
                }, requests: 1)
            }
            _log.append("\(netdev) setlink VFs \(changes.map { String($0.index) }.joined(separator: ","))")
            var outcomes: [VFApplyReport.Outcome] = []
            let failing = failingVFs[netdev] ?? []
            for change in changes {
                guard let v = _pfs[p].vfs.firstIndex(where: { $0.index == change.index }) else {
                    outcomes.append(.init(index: change.index, applied: [], error: SRIOVErrorRecord(
                        RTNetlinkVFControl.noSuchVF(pf: netdev, vf: change.index, numVFs: _pfs[p].numVFs)))); continue
                }
                if failing.contains(change.index) {
                    outcomes.append(.init(index: change.index, applied: [], error: SRIOVErrorRecord(
                        RTNetlinkVFControl.refusal(errno: EOPNOTSUPP, pf: netdev, vf: change.index,
                                                   attribute: VFKernelAttribute.present(in: change.settings).first,
                                                   driver: "driver \(_pfs[p].driver ?? "sim")", numVFs: _pfs[p].numVFs))))
                    continue
                }
                var state = _pfs[p].vfs[v]
                let s = change.settings
                if let mac = s.mac { state.mac = mac }
                if let vlan = s.vlan { state.vlans = [vlan] }
                if let spoof = s.spoofCheck { state.spoofCheck = spoof }
                if let trust = s.trust { state.trust = trust }
                if let link = s.linkState { state.linkState = link }
                if let min = s.minTxRate { state.minTxRate = min }
                if let max = s.maxTxRate { state.maxTxRate = max }
                _pfs[p].vfs[v] = state
                outcomes.append(.init(index: change.index, applied: ["all"]))
            }
            return VFApplyReport(pf: netdev, outcomes: outcomes, requests: 1)
        }
    }

    // MARK: Helpers

    private func mutate(_ pf: PhysicalFunction, _ body: (inout PF) throws(SRIOVError) -> String) throws(SRIOVError) {
        let device = pf.pciAddress?.description ?? pf.sysfsDevice
        lock.lock()
        defer { lock.unlock() }
        guard let p = _pfs.firstIndex(where: { $0.device == device }) else {
            throw SRIOVError(.notFound, "\(device): no such PF")
        }
        let entry = try body(&_pfs[p])
        _log.append(entry)
    }
}

extension VFState {
    /// What a freshly created VF reports: zero MAC, no VLAN, spoof check on, trust off, link auto.
    public static func fresh(_ index: Int) -> VFState {
        VFState(index: index, mac: .zero, vlans: [.none], spoofCheck: true, trust: false, linkState: .auto,
                minTxRate: 0, maxTxRate: 0)
    }
}
