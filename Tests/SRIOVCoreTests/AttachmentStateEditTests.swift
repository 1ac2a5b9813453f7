import SRIOVCore
import Testing

@Suite("State edits (reference semantics)")
struct AttachmentStateEditTests {
    let pf = PFRecord(id: PFStableID(device: "netdevsim10"), kind: .netdevsim, netdev: "eni10np1")
    let network = NetworkDefinition(name: "prod", pfs: [.netdev("eni10np1")])

    func base() throws -> StateSnapshot {
        var s = StateSnapshot()
        _ = try s.apply([.recordNetwork(network), .recordPF(pf), .recordGuest(GuestRecord(name: "web1"), renamedFrom: nil),
                         .recordGuest(GuestRecord(name: "db1"), renamedFrom: nil),
                         .createLease(LeaseRecord(key: LeaseKey(guest: "web1", network: "prod"), mac: mac("02:5a:00:00:00:01")))],
                        now: "t1")
        return s
    }

    func assignment(_ guest: String, vf: Int) -> AssignmentRecord {
        AssignmentRecord(lease: LeaseKey(guest: guest, network: "prod"), vf: VFKey(pf: pf.id, index: vf),
                         vfPCIAddress: nil, state: .intent, savedState: nil, desired: VFSettings(),
                         interface: GuestInterface(mac: .zero, vfPCIAddress: nil), owner: nil)
    }

    @Test("a MAC cannot be leased twice and a VF cannot be assigned twice; a failed batch changes nothing")
    func uniqueness() throws {
        var s = try base()
        let before = s
        #expect(throws: SRIOVError.self) {
            _ = try s.apply([.createLease(LeaseRecord(key: LeaseKey(guest: "db1", network: "prod"), mac: mac("02:5a:00:00:00:01")))],
                            now: "t2")
        }
        _ = try s.apply([.createLease(LeaseRecord(key: LeaseKey(guest: "db1", network: "prod"), mac: mac("02:5a:00:00:00:02"))),
                         .createAssignment(assignment("web1", vf: 1))], now: "t2")
        let good = s
        #expect(throws: SRIOVError.self) {
            _ = try s.apply([.journal(JournalEntry(action: "x")), .createAssignment(assignment("db1", vf: 1))], now: "t3")
        }
        #expect(s == good)
        #expect(before != good)
    }

    @Test("forgetting a lease quarantines its MAC; a lease with a VF cannot be dropped")
    func forget() throws {
        var s = try base()
        _ = try s.apply([.createAssignment(assignment("web1", vf: 1))], now: "t2")
        #expect(throws: SRIOVError.self) { _ = try s.apply([.forgetLease(LeaseKey(guest: "web1", network: "prod"))], now: "t3") }
        _ = try s.apply([.deleteAssignment(LeaseKey(guest: "web1", network: "prod")),
                         .forgetLease(LeaseKey(guest: "web1", network: "prod"))], now: "t3")
        #expect(s.quarantined(mac("02:5a:00:00:00:01"))?.releasedAt == "t3")
        #expect(throws: SRIOVError.self) {
            _ = try s.apply([.createLease(LeaseRecord(key: LeaseKey(guest: "db1", network: "prod"), mac: mac("02:5a:00:00:00:01")))],
                            now: "t4")
        }
    }

    @Test("renaming a guest carries its leases along")
    func rename() throws {
        var s = try base()
        _ = try s.apply([.recordGuest(GuestRecord(name: "web1", uuid: "U1"), renamedFrom: nil),
                         .recordGuest(GuestRecord(name: "web2", uuid: "u1"), renamedFrom: "web1")], now: "t2")
        #expect(s.guest(named: "web2")?.uuid == "u1")
        #expect(s.lease(LeaseKey(guest: "web2", network: "prod")) != nil)
    }
}
