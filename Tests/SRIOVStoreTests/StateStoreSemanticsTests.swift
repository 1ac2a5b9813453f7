import Foundation
import SRIOVCore
import SRIOVStore
import SRIOVStorePostgres
import SRIOVTesting
import Testing

/// What every ``StateStoring`` must do the same way, run against SQLite and PostgreSQL.
@Suite("State store semantics (SQLite and PostgreSQL)")
struct StateStoreSemanticsTests {
    @Test("leases, assignments, quarantine and journal survive closing and reopening", arguments: StoreKind.available)
    func survivesReopen(kind: StoreKind) throws {
        let under = try StoreUnderTest(kind)
        defer { under.cleanup() }
        var before: StateSnapshot
        do {
            let store = try under.open()
            try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
            before = try store.read()
        }
        let reopened = try under.open()
        let after = try reopened.read()
        #expect(after == before)
        #expect(after.lease(LeaseKey(guest: "web1", network: "prod"))?.mac == StoreSamples.mac1)
        #expect(after.assignments.first?.owner == OperationOwner(pid: 4242, startTime: 99, bootID: "b-1"))
        #expect(after.assignments.first?.desired.vlan == PortVLAN(id: 100, qos: 2, proto: .ieee8021AD))
        #expect(after.guest(named: "web1")?.uuid == "6f1c1a2e-0000-4000-8000-000000000001")
        #expect(after.quarantined(MACAddress("02:5a:00:00:00:03")!)?.formerGuest == "db1")
        let journal = try reopened.journal(limit: 10)
        #expect(journal.first?.action == "attach" && journal.first?.vf?.index == 1 && journal.first?.at != nil)
    }

    @Test("the store and the in-memory fake agree on every edit", arguments: StoreKind.available)
    func matchesReferenceSemantics(kind: StoreKind) throws {
        let under = try StoreUnderTest(kind)
        defer { under.cleanup() }
        let store = try under.open()
        let memory = InMemoryStateStore()
        let more: [StateEdit] = [
            .updateAssignment(StoreSamples.assignment("web1", vf: 1, mac: StoreSamples.mac1)),
            .touchLease(LeaseKey(guest: "web1", network: "prod"), lastVF: VFKey(pf: StoreSamples.pf.id, index: 1)),
            .recordGuest(GuestRecord(name: "web1-renamed", uuid: "6f1c1a2e-0000-4000-8000-000000000001"), renamedFrom: "web1"),
            .recordPF(PFRecord(id: PFStableID(device: "netdevsim10"), kind: .netdevsim, netdev: "eni10np1")),
            .releaseQuarantine(MACAddress("02:5a:00:00:00:03")!),
        ]
        let last: [StateEdit] = [
            .deleteAssignment(LeaseKey(guest: "web1-renamed", network: "prod")),
            .forgetLease(LeaseKey(guest: "web1-renamed", network: "prod")),
            .deleteLease(LeaseKey(guest: "db1", network: "prod")),
            .recordQuarantine(QuarantinedMAC(mac: MACAddress("02:5a:00:00:00:07")!, formerGuest: "old", network: "prod")),
        ]
        for batch in [StoreSamples.edits, more, last] {
            try store.update { (_) throws(SRIOVError) in StateUpdate(edits: batch) }
            try memory.update { (_) throws(SRIOVError) in StateUpdate(edits: batch) }
            let a = try store.read().withoutTimestamps, b = try memory.read().withoutTimestamps
            #expect(a.networks == b.networks)
            #expect(a.pfs == b.pfs)
            #expect(a.guests == b.guests)
            #expect(a.leases == b.leases)
            #expect(a.assignments == b.assignments)
            #expect(a.quarantine == b.quarantine)
        }
        #expect(try store.read().quarantined(StoreSamples.mac1)?.formerGuest == "web1-renamed")
    }

    @Test("an update that breaks a constraint writes nothing at all, and names the conflict", arguments: StoreKind.available)
    func atomicUpdates(kind: StoreKind) throws {
        let under = try StoreUnderTest(kind)
        defer { under.cleanup() }
        let store = try under.open()
        try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        let before = try store.read()
        #expect {
            try store.update { (_) throws(SRIOVError) in
                StateUpdate(edits: [
                    .recordGuest(GuestRecord(name: "new"), renamedFrom: nil),
                    .createLease(LeaseRecord(key: LeaseKey(guest: "new", network: "prod"), mac: StoreSamples.mac1)),
                ])
            }
        } throws: { ($0 as! SRIOVError).message.contains("already leased to guest 'web1'") }
        #expect(try store.read() == before)
        // A body that throws writes nothing either.
        #expect(throws: SRIOVError.self) {
            try store.update { (_) throws(SRIOVError) -> StateUpdate<Void> in throw SRIOVError(.busy, "body refused") }
        }
        #expect(try store.read() == before)
    }

    @Test("a database written by a newer sriovctl is refused, naming the migration", arguments: StoreKind.available)
    func refusesNewer(kind: StoreKind) throws {
        let under = try StoreUnderTest(kind)
        defer { under.cleanup() }
        do {
            let store = try under.open()
            try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        }
        try under.addFutureMigration()
        #expect {
            try under.open()
        } throws: { error in
            let e = error as! SRIOVError
            return e.message.contains("written by a newer sriovctl") && e.message.contains("v2-future-columns")
        }
    }

    @Test("concurrent writers on separate connections never hand out the same MAC", arguments: StoreKind.available)
    func concurrentConnections(kind: StoreKind) async throws {
        let under = try StoreUnderTest(kind)
        defer { under.cleanup() }
        let setup = try under.open()
        try setup.update { (_) throws(SRIOVError) in StateUpdate(edits: [.recordNetwork(StoreSamples.network)]) }
        let pool = MACPool(first: MACAddress("02:5a:00:00:00:00")!, last: MACAddress("02:5a:00:00:ff:ff")!)
        let macs = try await withThrowingTaskGroup(of: MACAddress.self) { group in
            for i in 0..<8 {
                // Each writer on a thread of its own: all 8 at once, not two at a time on the test pool.
                group.addTask {
                    try await BlockingWork.run {
                        let store = try under.open()
                        return try store.update { (snapshot) throws(SRIOVError) in
                            let mac = try MACAllocator.allocate(from: pool, avoiding: MACUsage(snapshot: snapshot))
                            return StateUpdate(edits: [
                                .recordGuest(GuestRecord(name: "g\(i)"), renamedFrom: nil),
                                .createLease(LeaseRecord(key: LeaseKey(guest: "g\(i)", network: "prod"), mac: mac)),
                            ], result: mac)
                        }
                    }
                }
            }
            var all: [MACAddress] = []
            for try await mac in group { all.append(mac) }
            return all
        }
        #expect(Set(macs).count == 8)
        #expect(try setup.read().leases.count == 8)
    }
}
