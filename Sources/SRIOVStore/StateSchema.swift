import GRDB
public import SRIOVCore

/// The state database's schema: its application id and its migrations, in order.
///
/// A migration is never edited once released: later changes are new migrations. The
/// identifiers applied are listed in `sriovctl_migrations` and their count is stored in
/// `PRAGMA user_version`, so a file written by a newer sriovctl (an identifier or a
/// version this program does not know) is refused instead of being misread.
enum StateSchema {
    /// `PRAGMA application_id` of every sriovctl state database: "SRIO".
    static let applicationID: Int32 = 0x5352_494F

    /// Migrations in order: identifier and SQL.
    static let migrations: [(id: String, sql: String)] = [
        ("v1-initial", """
        CREATE TABLE sriovctl_meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        -- Networks as last recorded from the config file; kept when they leave the config.
        CREATE TABLE network (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            vlan_id INTEGER,
            vlan_qos INTEGER,
            vlan_proto TEXT,
            definition TEXT NOT NULL,          -- JSON NetworkDefinition
            updated_at TEXT NOT NULL
        );
        -- PFs by stable identity: PCI address (or sysfs device name) plus permanent MAC.
        CREATE TABLE pf (
            id INTEGER PRIMARY KEY,
            device TEXT NOT NULL,
            permanent_mac TEXT NOT NULL DEFAULT '',   -- '' when the driver reports none
            kind TEXT NOT NULL,
            pci_address TEXT,
            netdev TEXT,                        -- last seen; names change
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            UNIQUE (device, permanent_mac)
        );
        CREATE TABLE guest (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            uuid TEXT UNIQUE,
            created_at TEXT NOT NULL
        );
        -- (guest, network, slot) -> MAC. Kept after detach; dropped only by --forget.
        CREATE TABLE lease (
            id INTEGER PRIMARY KEY,
            guest_id INTEGER NOT NULL REFERENCES guest(id),
            network_id INTEGER NOT NULL REFERENCES network(id),
            slot INTEGER NOT NULL CHECK (slot >= 0),
            mac TEXT NOT NULL UNIQUE,
            last_pf_id INTEGER REFERENCES pf(id),
            last_vf_index INTEGER,
            created_at TEXT NOT NULL,
            last_used_at TEXT,
            UNIQUE (guest_id, network_id, slot)
        );
        -- lease -> VF, with the VF's state before sriovctl touched it.
        CREATE TABLE assignment (
            id INTEGER PRIMARY KEY,
            lease_id INTEGER NOT NULL UNIQUE REFERENCES lease(id),
            pf_id INTEGER NOT NULL REFERENCES pf(id),
            vf_index INTEGER NOT NULL CHECK (vf_index >= 0),
            vf_pci_address TEXT,
            state TEXT NOT NULL CHECK (state IN ('intent', 'applied', 'releasing')),
            saved_state TEXT,                   -- JSON VFState, NULL when unknown
            desired TEXT NOT NULL,              -- JSON VFSettings
            interface TEXT NOT NULL,            -- JSON GuestInterface
            owner_pid INTEGER,
            owner_start_time INTEGER,
            owner_boot_id TEXT,
            lease_created INTEGER NOT NULL DEFAULT 0,
            forget_on_release INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (pf_id, vf_index)
        );
        -- MACs of dropped leases: never allocated again.
        CREATE TABLE mac_quarantine (
            mac TEXT PRIMARY KEY,
            former_guest TEXT NOT NULL,
            former_guest_uuid TEXT,
            network TEXT NOT NULL,
            released_at TEXT NOT NULL
        );
        -- What was done and when. Append-only.
        CREATE TABLE journal (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            guest TEXT,
            network TEXT,
            mac TEXT,
            pf_device TEXT,
            pf_permanent_mac TEXT,
            vf_index INTEGER,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX journal_guest ON journal(guest);
        """),
    ]

    /// The schema version this program writes: the number of migrations it knows.
    static var version: Int { migrations.count }

    /// Applies the migrations `db` lacks, inside the caller's write transaction, and stamps
    /// the application id and version. Throws when the file knows migrations we do not.
    /// A file that is already up to date is not written at all: opening the database for a
    /// request that is then refused leaves its bytes as they were.
    static func migrate(_ db: Database, path: String, programVersion: String) throws {
        let hasLedger = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sriovctl_migrations')
            """) ?? false
        let applied = hasLedger ? Set(try String.fetchAll(db, sql: "SELECT identifier FROM sriovctl_migrations")) : []
        let userVersion = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let appID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        try StateDatabaseFile.refuseNewer(path: path, applied: applied, userVersion: userVersion)
        let missing = migrations.filter { !applied.contains($0.id) }
        if hasLedger && missing.isEmpty && userVersion == version && appID == applicationID { return }

        try db.execute(sql: "CREATE TABLE IF NOT EXISTS sriovctl_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        for migration in missing {
            try db.execute(sql: migration.sql)
            try db.execute(sql: "INSERT INTO sriovctl_migrations (identifier, applied_at) VALUES (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
                           arguments: [migration.id])
        }
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        try db.execute(sql: "PRAGMA user_version = \(version)")
        try db.execute(sql: "INSERT OR IGNORE INTO sriovctl_meta (key, value) VALUES ('created_by', ?)",
                       arguments: ["sriovctl \(programVersion)"])
        try db.execute(sql: "INSERT OR REPLACE INTO sriovctl_meta (key, value) VALUES ('last_migrated_by', ?)",
                       arguments: ["sriovctl \(programVersion)"])
    }
}
