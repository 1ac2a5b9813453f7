import Foundation
import SRIOVCore

/// A fresh temporary directory, removed by `cleanup()`.
struct TempDir {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "sriovctl-store-\(UInt64.random(in: 0...UInt64.max))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    /// POSIX permission bits of `path`.
    static func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }

    /// Names in the directory.
    func entries() -> [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

/// Sample state for round trips.
enum StoreSamples {
    static let pf = PFRecord(id: PFStableID(device: "0000:3b:00.0", permanentMAC: MACAddress("3c:fd:fe:00:00:01")),
                             kind: .pci, pciAddress: PCIAddress("0000:3b:00.0"), netdev: "enp59s0f0")
    static let network = NetworkDefinition(name: "prod", pfs: [.netdev("enp59s0f0")], excludedVFs: ["enp59s0f0": [0]],
                                           vlan: PortVLAN(id: 100, qos: 2))
    static let mac1 = MACAddress("02:5a:00:00:00:01")!
    static let mac2 = MACAddress("02:5a:00:00:00:02")!

    static func assignment(_ guest: String, vf: Int, mac: MACAddress, state: AssignmentState = .applied) -> AssignmentRecord {
        AssignmentRecord(
            lease: LeaseKey(guest: guest, network: "prod"), vf: VFKey(pf: pf.id, index: vf),
            vfPCIAddress: PCIAddress("0000:3b:02.\(vf)"), state: state,
            savedState: VFState(index: vf, mac: .zero, vlans: [.none], spoofCheck: true, trust: false, linkState: .auto),
            desired: VFSettings(mac: mac, vlan: PortVLAN(id: 100, qos: 2, proto: .ieee8021AD), spoofCheck: true, trust: false),
            interface: GuestInterface(mac: mac, vfPCIAddress: PCIAddress("0000:3b:02.\(vf)"), vlan: PortVLAN(id: 100)),
            owner: state == .applied ? nil : OperationOwner(pid: 4242, startTime: 99, bootID: "b-1"), leaseCreated: true)
    }

    /// Guest web1 attached on VF 1 with mac1; guest db1 with a free lease (mac2) and a quarantined MAC.
    static let edits: [StateEdit] = [
        .recordNetwork(network), .recordPF(pf),
        .recordGuest(GuestRecord(name: "web1", uuid: "6F1C1A2E-0000-4000-8000-000000000001"), renamedFrom: nil),
        .recordGuest(GuestRecord(name: "db1"), renamedFrom: nil),
        .createLease(LeaseRecord(key: LeaseKey(guest: "web1", network: "prod"), mac: mac1)),
        .createAssignment(assignment("web1", vf: 1, mac: mac1, state: .intent)),
        .createLease(LeaseRecord(key: LeaseKey(guest: "db1", network: "prod"), mac: mac2,
                                 lastVF: VFKey(pf: pf.id, index: 2))),
        .createLease(LeaseRecord(key: LeaseKey(guest: "db1", network: "prod", slot: 1), mac: MACAddress("02:5a:00:00:00:03")!)),
        .forgetLease(LeaseKey(guest: "db1", network: "prod", slot: 1)),
        .journal(JournalEntry(action: "attach", guest: "web1", network: "prod", mac: mac1,
                              vf: VFKey(pf: pf.id, index: 1), detail: "programmed mac, vlan")),
    ]
}

extension StateSnapshot {
    /// The snapshot with store-set timestamps removed, to compare stores.
    var withoutTimestamps: StateSnapshot {
        var s = self
        for i in s.leases.indices { s.leases[i].createdAt = nil; s.leases[i].lastUsedAt = nil }
        for i in s.assignments.indices { s.assignments[i].createdAt = nil; s.assignments[i].updatedAt = nil }
        for i in s.quarantine.indices { s.quarantine[i].releasedAt = nil }
        return s
    }
}
