import Foundation
import SRIOVCore
import SRIOVStorePostgres
import SRIOVTesting
import Testing

/// What only the PostgreSQL store has: hosts sharing it, credentials, a server that is not there.
@Suite("PostgreSQL state store", .enabled(if: PostgresTestCluster.unavailableReason == nil,
                                          Comment(rawValue: PostgresTestCluster.unavailableReason ?? "")))
struct PostgresStateStoreTests {
    static let hostA = FleetHost(id: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", name: "node-a")
    static let hostB = FleetHost(id: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", name: "node-b")

    @Test("two hosts share leases, quarantine and networks; each sees only its own PFs and assignments")
    func hostsShareLeasesNotVFs() throws {
        let under = try StoreUnderTest(.postgres)
        let a = try under.open(host: Self.hostA), b = try under.open(host: Self.hostB)
        try a.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        let seenByB = try b.read()
        #expect(seenByB.leases.map(\.mac).sorted() == [StoreSamples.mac1, StoreSamples.mac2])
        #expect(seenByB.quarantined(MACAddress("02:5a:00:00:00:03")!) != nil)
        #expect(seenByB.network(named: "prod") != nil)
        #expect(seenByB.pfs.isEmpty && seenByB.assignments.isEmpty, "host B has no PF or VF of host A's")
        // The same PCI address on host B is another PF: B may assign its VF 1 too.
        try b.update { (_) throws(SRIOVError) in
            StateUpdate(edits: [.recordPF(StoreSamples.pf),
                                .recordGuest(GuestRecord(name: "app1"), renamedFrom: nil),
                                .createLease(LeaseRecord(key: LeaseKey(guest: "app1", network: "prod"),
                                                         mac: MACAddress("02:5a:00:00:00:09")!)),
                                .createAssignment(StoreSamples.assignment("app1", vf: 1, mac: MACAddress("02:5a:00:00:00:09")!))])
        }
        #expect(try a.read().assignments.map(\.lease.guest) == ["web1"])
        #expect(try b.read().assignments.map(\.lease.guest) == ["app1"])
        // A MAC leased on host A is refused on host B.
        #expect {
            try b.update { (_) throws(SRIOVError) in
                StateUpdate(edits: [.recordGuest(GuestRecord(name: "app2"), renamedFrom: nil),
                                    .createLease(LeaseRecord(key: LeaseKey(guest: "app2", network: "prod"), mac: StoreSamples.mac1))])
            }
        } throws: { ($0 as! SRIOVError).message.contains("already leased to guest 'web1'") }
        #expect(Set(try (a as! PostgresStateStore).hosts().map(\.name)) == ["node-a", "node-b"])
    }

    @Test("the database itself refuses a second lease of a MAC and a second assignment of a VF")
    func constraintsInTheDatabase() throws {
        let under = try StoreUnderTest(.postgres)
        let store = try under.open(host: Self.hostA)
        try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        let cluster = try PostgresTestCluster.shared
        let target = try #require(under.postgres)
        #expect("a second lease with web1's MAC") {
            try cluster.psql(target, "INSERT INTO lease (guest_id, network_id, slot, mac, created_at) "
                             + "SELECT id, (SELECT id FROM network LIMIT 1), 5, '\(StoreSamples.mac1)', 'x' FROM guest WHERE name = 'db1'")
        } throws: { "\($0)".contains("duplicate key value violates unique constraint \"lease_mac_key\"") }
        #expect("db1's lease on web1's VF") {
            try cluster.psql(target, "INSERT INTO assignment (lease_id, host_id, pf_id, vf_index, state, desired, interface, "
                             + "created_at, updated_at) SELECT l.id, a.host_id, a.pf_id, a.vf_index, 'intent', '{}', '{}', 'x', 'x' "
                             + "FROM lease l, assignment a WHERE l.mac = '\(StoreSamples.mac2)'")
        } throws: { "\($0)".contains("duplicate key value violates unique constraint \"assignment_pf_id_vf_index_key\"") }
    }

    @Test("writers on three hosts at once: every conflict is retried, no MAC is handed out twice")
    func concurrentHosts() async throws {
        let under = try StoreUnderTest(.postgres)
        try under.open(host: Self.hostA).update { (_) throws(SRIOVError) in
            StateUpdate(edits: [.recordNetwork(StoreSamples.network)])
        }
        let pool = MACPool(first: MACAddress("02:5a:00:00:00:00")!, last: MACAddress("02:5a:00:00:ff:ff")!)
        let macs = try await withThrowingTaskGroup(of: [MACAddress].self) { group in
            for h in 0..<3 {
                group.addTask {
                    try await BlockingWork.run {
                        let host = FleetHost(id: String(repeating: "\(h)", count: 32), name: "node\(h)")
                        let store = try under.open(host: host)
                        return try (0..<10).map { i in
                            try store.update { (snapshot) throws(SRIOVError) in
                                let mac = try MACAllocator.allocate(from: pool, avoiding: MACUsage(snapshot: snapshot))
                                return StateUpdate(edits: [
                                    .recordGuest(GuestRecord(name: "h\(h)-g\(i)"), renamedFrom: nil),
                                    .createLease(LeaseRecord(key: LeaseKey(guest: "h\(h)-g\(i)", network: "prod"), mac: mac)),
                                ], result: mac)
                            }
                        }
                    }
                }
            }
            var all: [MACAddress] = []
            for try await some in group { all += some }
            return all
        }
        #expect(macs.count == 30 && Set(macs).count == 30)
        #expect(try under.open(host: Self.hostA).read().leases.count == 30)
    }

    @Test("a wrong password, a readable password file, a server that is not there: clear errors, no password in them")
    func credentialsStayOut() throws {
        let cluster = try PostgresTestCluster.shared
        let under = try StoreUnderTest(.postgres)
        var target = try #require(under.postgres)
        let wrong = under.dir.file("wrong-password")
        FileManager.default.createFile(atPath: wrong, contents: Data("not-the-password\n".utf8), attributes: [.posixPermissions: 0o600])
        target.passwordFile = wrong
        #expect {
            try PostgresStateStore(target: target, host: Self.hostA)
        } throws: { error in
            let message = "\(error)"
            return message.contains("password authentication failed") && !message.contains("not-the-password")
                && !message.contains(cluster.password)
        }
        chmod(wrong, 0o644)
        #expect {
            try PostgresStateStore(target: target, host: Self.hostA)
        } throws: { "\($0)".contains("can be read by its group or others") && !"\($0)".contains("not-the-password") }
        var gone = try #require(under.postgres)
        gone.socketDirectory = under.dir.path
        #expect {
            try PostgresStateStore(target: gone, host: Self.hostA)
        } throws: { error in
            let message = "\(error)"
            return message.contains("cannot reach the state database") && message.contains(gone.description)
                && !message.contains(cluster.password)
        }
    }

    @Test("another application's database is refused and left as it was")
    func refusesForeignDatabase() throws {
        let cluster = try PostgresTestCluster.shared
        let under = try StoreUnderTest(.postgres)
        let target = try #require(under.postgres)
        _ = try cluster.psql(target, "CREATE TABLE users (id INT); INSERT INTO users VALUES (1)")
        #expect {
            try PostgresStateStore(target: target, host: Self.hostA)
        } throws: { "\($0)".contains("not a sriovctl state database: it holds tables users") }
        let tables = try cluster.psql(target, "SELECT string_agg(table_name, ',') FROM information_schema.tables "
                                      + "WHERE table_schema = 'public'")
        #expect(tables.trimmingCharacters(in: .whitespacesAndNewlines) == "users", "\(tables)")
    }
}
