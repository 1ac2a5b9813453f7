import Foundation
import GRDB
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing

/// A damaged state database is an error that names the table and row and says how to
/// recover, never a crash; and writes stop until it is repaired (issue 11).
@Suite("State database: damage")
struct DamagedDatabaseTests {
    /// A database with the sample state, closed (its WAL checkpointed into the file).
    static func sample(_ dir: TempDir) throws -> String {
        let path = dir.file("state.db")
        let store = try SQLiteStateStore(path: path)
        try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        return path
    }

    /// Flips one byte near the end of the first page of the index `index`: the last bytes of
    /// a leaf page hold the first cell's key, here the row id the index entry points at.
    static func flipIndexByte(_ path: String, index: String) throws {
        let (rootPage, pageSize) = try DatabaseQueue(path: path).read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = ?", arguments: [index])!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: path))
        let offset = UInt64((rootPage - 1) * pageSize + pageSize - 1)
        try handle.seek(toOffset: offset)
        let byte = try #require(try handle.read(upToCount: 1)).first!
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: [byte ^ 0x01])
        try handle.close()
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    @Test("an integer column holding text is an error naming table, row and column, for readers and writers")
    func textInIntegerColumn() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = try Self.sample(dir)
        try SQLiteFixture.execute(path: path, sql: "UPDATE lease SET slot = 'abc' WHERE id = 1")
        let before = Self.bytes(path)
        for access in [SQLiteStateStore.Access.readOnly, .readWrite] {
            let error = #expect(throws: SRIOVError.self) { try SQLiteStateStore(path: path, access: access).read() }
            #expect(error?.message.contains("is damaged (table lease, row id 1: column slot holds \"abc\", not an integer)") == true,
                    "\(String(describing: error))")
            #expect(error?.message.contains("sriovctl state restore BACKUP") == true)
        }
        let write = #expect(throws: SRIOVError.self) {
            try SQLiteStateStore(path: path).update { (_) throws(SRIOVError) in StateUpdate(edits: [.releaseQuarantine(StoreSamples.mac1)]) }
        }
        #expect(write?.message.contains("table lease, row id 1") == true)
        #expect(Self.bytes(path) == before, "nothing was written to the damaged file")
    }

    @Test("a negative owner start time or an out-of-range pid is an error, not a crash")
    func outOfRangeNumbers() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = try Self.sample(dir)
        try SQLiteFixture.execute(path: path, sql: "UPDATE assignment SET owner_pid = 9999999999")
        let error = #expect(throws: SRIOVError.self) { try SQLiteStateStore(path: path, access: .readOnly).read() }
        #expect(error?.message.contains("table assignment, row id 1: column owner_pid holds 9999999999") == true,
                "\(String(describing: error))")
        try SQLiteFixture.execute(path: path, sql: "UPDATE assignment SET owner_pid = 1, owner_start_time = -5")
        #expect(try SQLiteStateStore(path: path, access: .readOnly).read().assignments.count == 1)
    }

    @Test("a flipped byte in an index page fails the integrity check at open: nothing is written, recovery is named")
    func flippedIndexByte() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = try Self.sample(dir)
        try Self.flipIndexByte(path, index: "sqlite_autoindex_lease_1")
        let before = Self.bytes(path)
        let error = #expect(throws: SRIOVError.self) { try SQLiteStateStore(path: path) }
        #expect(error?.message.contains("is damaged (PRAGMA integrity_check:") == true, "\(String(describing: error))")
        #expect(error?.message.contains("sqlite3 \(path) .recover") == true)
        #expect(Self.bytes(path) == before)
        #expect(throws: SRIOVError.self) { try SQLiteStateStore(path: path, access: .readOnly) }
    }

    @Test("backup then restore puts the leases back; a damaged backup is refused; a damaged database is restored")
    func backupAndRestore() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = try Self.sample(dir)
        let store = try SQLiteStateStore(path: path)
        let saved = try store.read()
        #expect(FileManager.default.createFile(atPath: dir.file("backup.db"), contents: nil,
                                               attributes: [.posixPermissions: 0o600]))
        try store.backup(into: dir.file("backup.db"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("backup.db-wal")))
        try store.update { (_) throws(SRIOVError) in StateUpdate(edits: [.releaseQuarantine(MACAddress("02:5a:00:00:00:03")!)]) }
        #expect(try store.read() != saved)
        try SQLiteStateStore.restore(databaseAt: path, from: dir.file("backup.db"))
        #expect(try store.read() == saved, "a store open during the restore sees the restored content")

        // The database damaged: restored from the backup, it opens again.
        try SQLiteFixture.execute(path: path, sql: "UPDATE lease SET slot = 'abc'")
        #expect(throws: SRIOVError.self) { try SQLiteStateStore(path: path).read() }
        try SQLiteStateStore.restore(databaseAt: path, from: dir.file("backup.db"))
        #expect(try SQLiteStateStore(path: path).read() == saved)

        // A damaged backup is refused and the database is left as it is.
        try Self.flipIndexByte(dir.file("backup.db"), index: "sqlite_autoindex_lease_1")
        let before = Self.bytes(path)
        #expect(throws: SRIOVError.self) { try SQLiteStateStore.restore(databaseAt: path, from: dir.file("backup.db")) }
        #expect(Self.bytes(path) == before)
    }

    @Test("the integrity check costs little on a 1,000-lease database (measured, printed)")
    func integrityCheckCost() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        var edits: [StateEdit] = [.recordNetwork(StoreSamples.network), .recordPF(StoreSamples.pf)]
        for i in 0..<1000 {
            let guest = "guest\(i)"
            edits.append(.recordGuest(GuestRecord(name: guest), renamedFrom: nil))
            edits.append(.createLease(LeaseRecord(key: LeaseKey(guest: guest, network: "prod"),
                                                  mac: MACAddress("02:5a:00:00:\(String(format: "%02x:%02x", i / 256, i % 256))")!)))
            if i < 200 { edits.append(.createAssignment(StoreSamples.assignment(guest, vf: i, mac: MACAddress("02:5a:00:00:\(String(format: "%02x:%02x", i / 256, i % 256))")!))) }
        }
        do {
            let store = try SQLiteStateStore(path: path)
            try store.update { (_) throws(SRIOVError) in StateUpdate(edits: edits) }
        }
        let queue = try DatabaseQueue(path: path)
        var timings: [String: Double] = [:]
        for pragma in ["quick_check", "integrity_check"] {
            let start = Date()
            for _ in 0..<20 { _ = try queue.read { try String.fetchAll($0, sql: "PRAGMA \(pragma)") } }
            timings[pragma] = Date().timeIntervalSince(start) / 20 * 1000
        }
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        print("integrity cost on 1,000 leases (\(size / 1024) KiB): quick_check \(String(format: "%.2f", timings["quick_check"]!)) ms, "
              + "integrity_check \(String(format: "%.2f", timings["integrity_check"]!)) ms")
        #expect(timings["integrity_check"]! < 250, "the check on every open must stay cheap")
    }
}
