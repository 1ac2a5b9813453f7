import Foundation
import SRIOVCore

/// The fleet state database's schema on PostgreSQL: its migrations, in order, applied as
/// the SQLite store applies its own (docs/state.md): identifiers recorded in
/// `sriovctl_migrations`, every missing one in one transaction, a database that knows an
/// identifier this program does not (a newer sriovctl wrote it) refused unchanged.
///
/// Leases, guests, networks, the MAC quarantine are fleet-wide; PFs and assignments
/// belong to a host (`host.id`, the machine id). The constraints hold what the fleet must
/// never do: one MAC per lease fleet-wide (`lease.mac UNIQUE`), one assignment per VF
/// (`assignment (pf_id, vf_index) UNIQUE`), one assignment of a lease per host (two hosts
/// hold it only while a guest moves), and an assignment's PF on the assignment's host.
enum PostgresSchema {
    /// Migrations in order: identifier and SQL.
    static let migrations: [(id: String, sql: String)] = [
        ("pg-v1-fleet", """
        CREATE TABLE sriovctl_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        -- Hosts of the fleet: machine id, and the host name for display.
        CREATE TABLE host (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE TABLE network (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            vlan_id BIGINT,
            vlan_qos BIGINT,
            vlan_proto TEXT,
            definition TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE pf (
            id BIGSERIAL PRIMARY KEY,
            host_id TEXT NOT NULL REFERENCES host(id),
            device TEXT NOT NULL,
            permanent_mac TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL,
            pci_address TEXT,
            netdev TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            UNIQUE (host_id, device, permanent_mac),
            UNIQUE (id, host_id)
        );
        CREATE TABLE guest (
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            uuid TEXT UNIQUE,
            created_at TEXT NOT NULL
        );
        CREATE TABLE lease (
            id BIGSERIAL PRIMARY KEY,
            guest_id BIGINT NOT NULL REFERENCES guest(id),
            network_id BIGINT NOT NULL REFERENCES network(id),
            slot BIGINT NOT NULL CHECK (slot >= 0),
            mac TEXT NOT NULL UNIQUE,
            last_pf_id BIGINT REFERENCES pf(id),
            last_vf_index BIGINT,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            UNIQUE (guest_id, network_id, slot)
        );
        CREATE TABLE assignment (
            id BIGSERIAL PRIMARY KEY,
            lease_id BIGINT NOT NULL REFERENCES lease(id),
            host_id TEXT NOT NULL REFERENCES host(id),
            pf_id BIGINT NOT NULL,
            vf_index BIGINT NOT NULL CHECK (vf_index >= 0),
            vf_pci_address TEXT,
            state TEXT NOT NULL CHECK (state IN ('intent', 'applied', 'releasing')),
            saved_state TEXT,
            desired TEXT NOT NULL,
            interface TEXT NOT NULL,
            owner_pid BIGINT,
            owner_start_time BIGINT,
            owner_boot_id TEXT,
            lease_created BOOLEAN NOT NULL DEFAULT FALSE,
            forget_on_release BOOLEAN NOT NULL DEFAULT FALSE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            FOREIGN KEY (pf_id, host_id) REFERENCES pf(id, host_id),
            UNIQUE (lease_id, host_id),
            UNIQUE (pf_id, vf_index)
        );
        CREATE INDEX assignment_host ON assignment(host_id);
        CREATE TABLE mac_quarantine (
            mac TEXT PRIMARY KEY,
            former_guest TEXT NOT NULL,
            former_guest_uuid TEXT,
            network TEXT NOT NULL,
            released_at TEXT NOT NULL
        );
        CREATE TABLE journal (
            id BIGSERIAL PRIMARY KEY,
            host_id TEXT NOT NULL,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            guest TEXT,
            network TEXT,
            mac TEXT,
            pf_device TEXT,
            pf_permanent_mac TEXT,
            vf_index BIGINT,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX journal_host ON journal(host_id, id);
        """),
    ]

    /// Tables whose presence without a migration ledger marks another application's database.
    static let ourTables: Set<String> = ["sriovctl_meta", "host", "network", "pf", "guest", "lease", "assignment",
                                         "mac_quarantine", "journal"]

    /// An advisory lock key ("SRIO"): concurrent first opens migrate one after the other.
    static let migrationLockKey = 0x5352_494F

    /// The identifiers applied in the database; `nil` when it has no sriovctl tables yet.
    /// Throws, naming them, when it holds tables but no ledger (another application's).
    static func applied(_ session: PostgresSession, shownAs name: String) throws -> Set<String>? {
        let tables = Set(try session.query("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            """).map { try $0.value("table_name", as: String.self, table: "information_schema.tables") })
        guard tables.contains("sriovctl_migrations") else {
            guard tables.isEmpty else {
                throw SRIOVError(.database, "\(name) is not a sriovctl state database: it holds tables "
                                 + tables.sorted().prefix(5).joined(separator: ", ") + " and no sriovctl_migrations")
            }
            return nil
        }
        return Set(try session.query("SELECT identifier FROM sriovctl_migrations")
            .map { try $0.value("identifier", as: String.self, table: "sriovctl_migrations") })
    }

    /// Refuses a database with migrations this program does not know.
    static func refuseNewer(_ applied: Set<String>, shownAs name: String) throws {
        let unknown = applied.subtracting(migrations.map(\.id))
        guard unknown.isEmpty else {
            throw SRIOVError(.database, "\(name) was written by a newer sriovctl (migrations "
                             + unknown.sorted().joined(separator: ", ") + "); upgrade sriovctl on this host; nothing was changed")
        }
    }

    /// Applies every missing migration in one transaction (inside the caller's `BEGIN`),
    /// after taking the migration lock, re-reading what is applied under it.
    static func migrate(_ session: PostgresSession, shownAs name: String, programVersion: String) throws {
        try session.query("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLockKey)])
        let applied = try Self.applied(session, shownAs: name) ?? []
        try refuseNewer(applied, shownAs: name)
        let missing = migrations.filter { !applied.contains($0.id) }
        guard !missing.isEmpty else { return }
        try session.query("CREATE TABLE IF NOT EXISTS sriovctl_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for migration in missing {
            // One statement at a time: the extended protocol runs one command per query.
            for statement in statements(migration.sql) { try session.query(statement) }
            try session.query("INSERT INTO sriovctl_migrations (identifier, applied_at) VALUES ($1, \(PostgresStateRows.nowSQL))",
                              [.text(migration.id)])
        }
        try session.query("INSERT INTO sriovctl_meta (key, value) VALUES ('created_by', $1) ON CONFLICT (key) DO NOTHING",
                          [.text("sriovctl \(programVersion)")])
        try session.query("""
            INSERT INTO sriovctl_meta (key, value) VALUES ('last_migrated_by', $1)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
            """, [.text("sriovctl \(programVersion)")])
    }

    /// The statements of a migration: split at `;` ending a line, comments dropped.
    static func statements(_ sql: String) -> [String] {
        var result: [String] = []
        var current = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                result.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { result.append(current) }
        return result
    }
}
