import Foundation
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing

@Suite("SQLite state store")
struct SQLiteStateStoreTests {
    @Test("a new database is created 0600 in a new 0700 directory, migrated, in WAL mode with synchronous=FULL")
    func createsAndMigrates() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("var/lib/sriovctl/state.db")
        let store = try SQLiteStateStore(path: path, programVersion: "test")
        #expect(TempDir.mode(path) == 0o600)
        #expect(TempDir.mode(dir.file("var/lib/sriovctl")) == 0o700)
        #expect(try store.schemaVersion() == 1)
        #expect(try store.journalMode() == "wal")
        #expect(try store.synchronousMode() == 2, "FULL: a committed intent survives a power cut")
        try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        #expect(TempDir.mode(path + "-wal") == 0o600, "the WAL file is as private as the database")
    }

    @Test("a file that is not SQLite is refused and left byte for byte as it was")
    func refusesNonSQLite() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        let content = Data("networks:\n  - name: prod\n".utf8)
        _ = FileManager.default.createFile(atPath: path, contents: content)
        #expect {
            try SQLiteStateStore(path: path)
        } throws: { error in
            let e = error as! SRIOVError
            return e.code == .database && e.message.contains("is not a sriovctl state database (not an SQLite file)")
        }
        #expect(FileManager.default.contents(atPath: path) == content)
        #expect(dir.entries() == ["state.db"])
    }

    @Test("another application's SQLite database is refused and left unchanged")
    func refusesForeignSQLite() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        for (name, sql, expected) in [
            ("tables.db", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users VALUES (1, 'x');",
             "it holds tables users"),
            ("appid.db", "PRAGMA application_id = 1234; CREATE TABLE t (x);", "application_id 0x4d2"),
        ] {
            let path = dir.file(name)
            try SQLiteFixture.create(path: path, sql: sql)
            let bytes = FileManager.default.contents(atPath: path)
            #expect {
                try SQLiteStateStore(path: path)
            } throws: { ($0 as! SRIOVError).message.contains(expected) }
            #expect(FileManager.default.contents(atPath: path) == bytes, "\(name) unchanged")
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"), "\(name) not switched to WAL")
        }
    }

    @Test("a database written by a newer sriovctl is refused and left unchanged")
    func refusesNewer() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        do {
            let store = try SQLiteStateStore(path: path)
            try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        }
        try SQLiteFixture.execute(path: path, sql: """
            INSERT INTO sriovctl_migrations (identifier, applied_at) VALUES ('v2-future-columns', 'x');
            PRAGMA user_version = 2;
            """)
        let bytes = FileManager.default.contents(atPath: path)
        #expect {
            try SQLiteStateStore(path: path)
        } throws: { error in
            let e = error as! SRIOVError
            return e.message.contains("written by a newer sriovctl") && e.message.contains("v2-future-columns")
        }
        #expect(FileManager.default.contents(atPath: path) == bytes)
    }

    @Test("an empty file (created by a concurrent first run) is initialized")
    func emptyFileIsNew() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        _ = FileManager.default.createFile(atPath: path, contents: Data(), attributes: [.posixPermissions: 0o600])
        let store = try SQLiteStateStore(path: path)
        #expect(try store.schemaVersion() == 1)
    }

    @Test("a database path in a directory that cannot be created is a clear error")
    func unwritableDirectory() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        _ = FileManager.default.createFile(atPath: dir.file("file"), contents: Data("x".utf8))
        #expect {
            try SQLiteStateStore(path: dir.file("file/state.db"))
        } throws: { ($0 as! SRIOVError).message.contains("not a directory") }
    }

    @Test("many processes opening a brand-new database at once all succeed and all their writes land")
    func concurrentFirstOpens() async throws {
        // Each round races 12 first opens (create, WAL switch, migration) against each
        // other's first writes, which is what 8 guests attached at boot do.
        for round in 0..<15 {
            let dir = TempDir()
            defer { dir.cleanup() }
            let path = dir.file("state.db")
            let pool = MACPool(first: MACAddress("02:5a:00:00:00:00")!, last: MACAddress("02:5a:00:00:ff:ff")!)
            let failures = await withTaskGroup(of: String?.self) { group in
                for i in 0..<12 {
                    // Each opener on a thread of its own: all 12 at once, not two at a time on the test pool.
                    group.addTask { await BlockingWork.run { () -> String? in
                        do {
                            let store = try SQLiteStateStore(path: path)
                            _ = try store.update { (snapshot) throws(SRIOVError) in
                                let mac = try MACAllocator.allocate(from: pool, avoiding: MACUsage(snapshot: snapshot))
                                return StateUpdate(edits: [
                                    .recordNetwork(StoreSamples.network),
                                    .recordGuest(GuestRecord(name: "g\(i)"), renamedFrom: nil),
                                    .createLease(LeaseRecord(key: LeaseKey(guest: "g\(i)", network: "prod"), mac: mac)),
                                ], result: mac)
                            }
                            return nil
                        } catch {
                            return "round \(round), opener \(i): \(error)"
                        }
                    } }
                }
                var all: [String] = []
                for await failure in group { if let failure { all.append(failure) } }
                return all
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(try SQLiteStateStore(path: path).read().leases.count == 12)
        }
    }
}
