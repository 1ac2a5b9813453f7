public import SRIOVCore

/// Ready-made audit snapshots: a small clean host that tests break one thing at a time,
/// and large generated hosts for the renderers and the benchmark.
public enum AuditSnapshots {
    /// `02:5a:00:00:00:NN`, a MAC from the default pool.
    public static func poolMAC(_ n: Int) -> MACAddress { MACAddress(integer: 0x02_5a_00_00_00_00 + UInt64(n)) }

    /// PCI address of VF `index` of the clean host's PF: `0000:0b:10.0`, `0000:0b:10.1`, ...
    public static func vfPCI(_ index: Int) -> PCIAddress {
        PCIAddress(domain: 0, bus: 0x0b, slot: UInt8(0x10 + index / 8), function: UInt8(index % 8))!
    }

    /// The settings sriovctl applies to a guest's VF on network `prod`.
    public static func prodSettings(mac: MACAddress) -> VFSettings {
        VFSettings(mac: mac, vlan: PortVLAN(id: 100), spoofCheck: true, trust: false, linkState: .auto)
    }

    /// A live VF carrying `settings` as the kernel would report them.
    public static func live(_ index: Int, _ settings: VFSettings) -> VFState {
        VFState(index: index, mac: settings.mac ?? .zero, vlans: [settings.vlan ?? .none],
                spoofCheck: settings.spoofCheck, trust: settings.trust, linkState: settings.linkState,
                minTxRate: 0, maxTxRate: 0)
    }

    /// A free VF as reset: zero MAC, no VLAN, spoofchk on, trust off, link auto.
    public static func freeLive(_ index: Int) -> VFState { live(index, VFSettings.reset) }

    /// Host `host01` with PF `eth0` (0000:0b:00.0, MAC 00:1b:21:aa:bb:00) and 8 VFs, in which
    /// nothing is wrong:
    /// - `web1` (running) holds lease prod/0 `02:5a:00:00:00:01` on VF 0;
    /// - `db1` (stopped) holds lease prod/0 `02:5a:00:00:00:02` on VF 1;
    /// - `app1` (stopped, no interface) keeps lease prod/0 `02:5a:00:00:00:03` after a detach;
    /// - VFs 2-7 are free and reset; host interfaces `eth0` and `lo`.
    public static func cleanHost() -> AuditInput {
        let web1 = LeaseRecord(key: LeaseKey(guest: "web1", network: "prod"), mac: poolMAC(1))
        let db1 = LeaseRecord(key: LeaseKey(guest: "db1", network: "prod"), mac: poolMAC(2))
        let app1 = LeaseRecord(key: LeaseKey(guest: "app1", network: "prod"), mac: poolMAC(3))
        let assignments = [
            AuditAssignment(lease: web1.key, pf: "eth0", pfPCIAddress: PCIAddress("0000:0b:00.0"), vfIndex: 0,
                            vfPCIAddress: vfPCI(0), settings: prodSettings(mac: web1.mac)),
            AuditAssignment(lease: db1.key, pf: "eth0", pfPCIAddress: PCIAddress("0000:0b:00.0"), vfIndex: 1,
                            vfPCIAddress: vfPCI(1), settings: prodSettings(mac: db1.mac)),
        ]
        var vfs = (0..<8).map { AuditVF(index: $0, pciAddress: vfPCI($0), live: freeLive($0)) }
        vfs[0].live = live(0, prodSettings(mac: web1.mac))
        vfs[1].live = live(1, prodSettings(mac: db1.mac))
        let guests = [
            GuestDefinition(name: "web1", uuid: "6f1c0d2e-0000-4000-8000-000000000001", isActive: true,
                            hostdevInterfaces: [GuestInterface(mac: web1.mac, vfPCIAddress: vfPCI(0), vlan: PortVLAN(id: 100))]),
            GuestDefinition(name: "db1", uuid: "6f1c0d2e-0000-4000-8000-000000000002", isActive: false,
                            hostdevInterfaces: [GuestInterface(mac: db1.mac, vfPCIAddress: vfPCI(1), vlan: PortVLAN(id: 100))]),
            GuestDefinition(name: "app1", uuid: "6f1c0d2e-0000-4000-8000-000000000003", isActive: false,
                            hostdevInterfaces: []),
        ]
        return AuditInput(
            hostName: "host01", leases: [web1, db1, app1], assignments: assignments,
            macPool: .default,
            pfs: [AuditPF(name: "eth0", pciAddress: PCIAddress("0000:0b:00.0"), operState: "up", vfs: vfs)],
            hostInterfaces: [AuditHostInterface(name: "eth0", mac: MACAddress("00:1b:21:aa:bb:00")!),
                             AuditHostInterface(name: "lo", mac: .zero)],
            guests: guests, libvirtURI: "qemu:///system")
    }

    /// A large clean host: `pfCount` PFs × `vfsPerPF` VFs, `leaseCount` leases on 4 networks,
    /// the first `assigned` of them holding a VF (PF by PF), all matching; libvirt defines every
    /// leased guest. With `breakEvery` > 0, every n-th assigned VF gets a wrong MAC and every
    /// n-th free VF a guest's MAC (so renderers and the benchmark see findings).
    public static func generated(hostName: String = "host01", leaseCount: Int = 1000, pfCount: Int = 4,
                                 vfsPerPF: Int = 256, assigned: Int = 900, breakEvery: Int = 0) -> AuditInput {
        let networks = ["prod", "storage", "backup", "mgmt"]
        var leases: [LeaseRecord] = []
        var assignments: [AuditAssignment] = []
        var guests: [GuestDefinition] = []
        var pfs: [AuditPF] = []
        for p in 0..<pfCount {
            var vfs: [AuditVF] = []
            for v in 0..<vfsPerPF {
                // VFs of PF p on buses 0x40 + 4p ..., 256 per bus.
                let bus = UInt8(0x40 + 4 * p + v / 256)
                let pci = PCIAddress(domain: 0, bus: bus, slot: UInt8(v / 8 % 32), function: UInt8(v % 8))
                vfs.append(AuditVF(index: v, pciAddress: pci, live: freeLive(v)))
            }
            let pfPCI = PCIAddress(domain: 0, bus: UInt8(0x30 + p), slot: 0, function: 0)
            pfs.append(AuditPF(name: "ens\(p + 1)f0", pciAddress: pfPCI, operState: "up", vfs: vfs))
        }
        let capacity = pfCount * vfsPerPF
        for n in 0..<leaseCount {
            let network = networks[n % networks.count]
            let lease = LeaseRecord(key: LeaseKey(guest: "vm\(n)", network: network), mac: MACAddress(integer: 0x02_5a_10_00_00_00 + UInt64(n)))
            leases.append(lease)
            var interfaces: [GuestInterface] = []
            if n < min(assigned, capacity) {
                let p = n / vfsPerPF, v = n % vfsPerPF
                let settings = VFSettings(mac: lease.mac, vlan: PortVLAN(id: 100 + n % networks.count),
                                          spoofCheck: true, trust: false, linkState: .auto)
                let pf = pfs[p]
                assignments.append(AuditAssignment(lease: lease.key, pf: pf.name, pfPCIAddress: pf.pciAddress,
                                                   vfIndex: v, vfPCIAddress: pf.vfs[v].pciAddress, settings: settings))
                var live = live(v, settings)
                if breakEvery > 0 && n % breakEvery == breakEvery - 1 {
                    live.mac = MACAddress(integer: 0x02_5a_20_00_00_00 + UInt64(n))
                }
                pfs[p].vfs[v].live = live
                interfaces.append(GuestInterface(mac: lease.mac, vfPCIAddress: pf.vfs[v].pciAddress, vlan: settings.vlan))
            }
            guests.append(GuestDefinition(name: lease.key.guest, uuid: "00000000-0000-4000-8000-\(n)",
                                          isActive: n % 3 != 0, hostdevInterfaces: interfaces))
        }
        if breakEvery > 0 {
            var k = 0
            for slot in min(assigned, capacity)..<capacity where (slot - assigned) % breakEvery == 0 {
                let p = slot / vfsPerPF, v = slot % vfsPerPF
                pfs[p].vfs[v].live?.mac = leases[(k * 7) % leases.count].mac
                k += 1
            }
        }
        return AuditInput(hostName: hostName, leases: leases, assignments: assignments, macPool: .default, pfs: pfs,
                          hostInterfaces: pfs.enumerated().map {
                              AuditHostInterface(name: $0.element.name, mac: MACAddress(integer: 0x00_1b_21_00_00_00 + UInt64($0.offset)))
                          },
                          guests: guests, libvirtURI: "qemu:///system")
    }
}

extension AuditSnapshots {
    /// A host that shows every kind of finding, for the screenshot in docs/audit-report.png
    /// and the Chromium test: PF `ens1f0` with 32 VFs and PF `ens1f1` with 256 VFs, 60 guests
    /// on three networks, and one break of each kind.
    public static func showcase() -> AuditInput {
        var input = generated(hostName: "kvm-prod-07", leaseCount: 60, pfCount: 2, vfsPerPF: 256, assigned: 56)
        input.pfs[0].vfs.removeLast(256 - 32)
        // Move guests vm32... onto the second PF, keeping the first 32 on the first one.
        for n in 32..<56 {
            input.assignments[n].pf = input.pfs[1].name
            input.assignments[n].pfPCIAddress = input.pfs[1].pciAddress
            input.assignments[n].vfIndex = n - 32
            input.assignments[n].vfPCIAddress = input.pfs[1].vfs[n - 32].pciAddress
            input.pfs[1].vfs[n - 32].live = live(n - 32, input.assignments[n].settings)
            input.guests![n].hostdevInterfaces[0].vfPCIAddress = input.pfs[1].vfs[n - 32].pciAddress
        }
        // Drift: vm3's VF got another MAC, vm7's VF is trusted now.
        input.pfs[0].vfs[3].live!.mac = MACAddress("02:5a:10:00:00:99")!
        input.pfs[0].vfs[7].live!.trust = true
        // A departed guest's MAC on a free VF of the big PF, and a foreign MAC on another.
        input.quarantine = [QuarantinedMAC(mac: MACAddress("02:5a:10:00:01:00")!, formerGuest: "vm-retired",
                                                network: "prod")]
        input.pfs[1].vfs[40].live!.mac = MACAddress("02:5a:10:00:01:00")!
        input.pfs[1].vfs[41].live!.mac = MACAddress("52:54:00:6b:3c:01")!
        // vm10's MAC copied onto a free VF: a duplicate.
        input.pfs[1].vfs[200].live!.mac = input.leases[10].mac
        // vm20 was undefined in libvirt; vm21's definition has another MAC; vm58 is gone too.
        input.guests!.removeAll { $0.name == "vm20" || $0.name == "vm58" }
        input.guests![20].hostdevInterfaces[0].mac = MACAddress("02:5a:10:00:00:aa")!
        // A guest sriovctl does not know uses VF 30 of ens1f1.
        input.guests!.append(GuestDefinition(name: "legacy-db", uuid: "u", isActive: true, hostdevInterfaces: [
            GuestInterface(mac: MACAddress("52:54:00:11:22:33")!, vfPCIAddress: input.pfs[1].vfs[30].pciAddress)]))
        input.pfs[1].vfs[30].live!.mac = MACAddress("52:54:00:11:22:33")!
        // A lease from outside the pool.
        input.leases[59].mac = MACAddress("06:00:00:00:00:3b")!
        input.notices = ["MAC pool 02:5a:00:00:00:00-02:5a:ff:ff:ff:ff from /etc/sriovctl/config.yaml"]
        return input
    }
}
