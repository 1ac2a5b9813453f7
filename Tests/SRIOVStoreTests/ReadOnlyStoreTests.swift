import Foundation
import GRDB
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing

/// Readers read (issue 11): a read-only open changes no byte, no mtime and no file beside
/// the database, works on a read-only filesystem, and never waits behind a writer.
@Suite("State database: read-only readers", .serialized)
struct ReadOnlyStoreTests {
    static func mtime(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    @Test("a read-only open changes neither the file's bytes nor its mtime, and writes nothing to the WAL")
    func readerWritesNothing() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = try DamagedDatabaseTests.sample(dir)
        let bytes = DamagedDatabaseTests.bytes(path)
        let mtime = Self.mtime(path)
        let entries = dir.entries()
        for _ in 0..<3 {
            let reader = try SQLiteStateStore(path: path, access: .readOnly)
            #expect(try reader.read().leases.count == 2)
            #expect(try reader.journal(limit: 5).count == 1)
            #expect(try reader.integrityProblems().isEmpty)
        }
        #expect(DamagedDatabaseTests.bytes(path) == bytes)
        #expect(Self.mtime(path) == mtime)
        // SQLite's WAL reader needs a -wal and -shm (the WAL index); when a writer has none
        // open, a read-only connection creates them empty and leaves them (docs/state.md).
        #expect(Set(dir.entries()).subtracting(["state.db-wal", "state.db-shm"]) == Set(entries))
        #expect(DamagedDatabaseTests.bytes(path + "-wal").isEmpty, "the reader wrote to the WAL")
        let refused = #expect(throws: SRIOVError.self) {
            try SQLiteStateStore(path: path, access: .readOnly).update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        }
        #expect(refused?.message.contains("opened read-only") == true)
    }

    @Test("a reader finishes while another connection holds a write transaction open")
    func readerDoesNotWait() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = try DamagedDatabaseTests.sample(dir)
        let writer = try SQLiteStateStore(path: path)   // keeps the WAL and -shm in use
        _ = writer
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "DELETE FROM journal")
            let count = BoundedWait.blockingResult(within: 10) { () -> Int in
                (try? SQLiteStateStore(path: path, access: .readOnly).read().leases.count) ?? -1
            }
            #expect(count == 2, "the reader waited behind the writer or failed (\(String(describing: count)))")
            try db.execute(sql: "ROLLBACK")
        }
    }

    @Test("a reader works on a read-only filesystem (a read-only bind mount)")
    func readOnlyFilesystem() throws {
        try #require(geteuid() == 0, "needs root to mount")
        let dir = TempDir()
        defer { dir.cleanup() }
        // The database is written through one mount and read through a read-only bind mount
        // of the same directory. Remounting the writer's own tmpfs read-only instead fails
        // with EBUSY whenever a child process another test spawns at that moment inherited a
        // write descriptor (SQLite sets FD_CLOEXEC just after open); a new bind mount has no
        // writers of its own, so making it read-only cannot race.
        let source = dir.file("rw"), mountPoint = dir.file("ro")
        for path in [source, mountPoint] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        }
        do {
            let store = try SQLiteStateStore(path: source + "/state.db")
            try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        }
        guard mount(source, mountPoint, nil, UInt(MS_BIND), nil) == 0 else {
            Issue.record("cannot bind-mount here: \(String(cString: strerror(errno)))")
            return
        }
        defer { umount2(mountPoint, Int32(MNT_DETACH)) }
        try #require(mount("none", mountPoint, nil, UInt(MS_REMOUNT) | UInt(MS_BIND) | UInt(MS_RDONLY), nil) == 0,
                     "\(String(cString: strerror(errno)))")
        let path = mountPoint + "/state.db"
        #expect(access(mountPoint, W_OK) != 0 && errno == EROFS, "the bind mount is not read-only")
        let reader = try SQLiteStateStore(path: path, access: .readOnly)
        #expect(try reader.read().leases.count == 2)
        #expect(try reader.integrityProblems().isEmpty)
        let writer = #expect(throws: SRIOVError.self) { try SQLiteStateStore(path: path) }
        #expect(writer != nil)
    }
}
