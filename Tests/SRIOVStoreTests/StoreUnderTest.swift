import Foundation
import SRIOVCore
import SRIOVStore
import SRIOVStorePostgres
import SRIOVTesting
import Testing

/// The two state stores the semantics tests run against.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    /// The stores that can run here: PostgreSQL only where the private cluster can start
    /// (``StoreKindTests/postgresRuns`` reports the reason when it cannot).
    static var available: [StoreKind] {
        PostgresTestCluster.unavailableReason == nil ? [.sqlite, .postgres] : [.sqlite]
    }
}

/// One fresh, empty state database of a kind: an SQLite file in a temporary directory, or a
/// new database in the test run's private PostgreSQL cluster.
struct StoreUnderTest: Sendable {
    static let host = FleetHost(id: "0123456789abcdef0123456789abcdef", name: "test-host")

    let kind: StoreKind
    let dir = TempDir()
    let postgres: PostgresTarget?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        postgres = kind == .postgres ? try PostgresTestCluster.shared.createDatabase() : nil
    }

    /// Opens (and, when new, creates and migrates) the store, as `host`.
    func open(host: FleetHost = StoreUnderTest.host) throws -> any StateStoring {
        if let postgres { return try PostgresStateStore(target: postgres, host: host, programVersion: "test") }
        return try SQLiteStateStore(path: dir.file("state.db"), programVersion: "test")
    }

    /// Records a migration no sriovctl knows, as a newer sriovctl would.
    func addFutureMigration() throws {
        if let postgres {
            _ = try PostgresTestCluster.shared.psql(postgres, "INSERT INTO sriovctl_migrations VALUES ('v2-future-columns', 'x')")
        } else {
            try SQLiteFixture.execute(path: dir.file("state.db"), sql: """
                INSERT INTO sriovctl_migrations (identifier, applied_at) VALUES ('v2-future-columns', 'x');
                PRAGMA user_version = 2;
                """)
        }
    }

    func cleanup() { dir.cleanup() }
}

@Suite("State stores available")
struct StoreKindTests {
    @Test("the PostgreSQL store's tests run (a private cluster starts here)",
          .enabled(if: PostgresTestCluster.unavailableReason == nil,
                   Comment(rawValue: PostgresTestCluster.unavailableReason ?? "")))
    func postgresRuns() throws {
        let store = try StoreUnderTest(.postgres)
        defer { store.cleanup() }
        let snapshot = try store.open().read()
        #expect(snapshot.leases.isEmpty && snapshot.assignments.isEmpty && snapshot.networks.isEmpty)
        #expect(snapshot.host == StoreUnderTest.host, "a fleet snapshot names the host it is the view of")
    }
}
