import Foundation
import GRDB
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing

/// The state database found by what it is (issue 11): FIFOs, devices, links, hard links and
/// foreign files are refused before anything is opened or created, and links share the lock.
@Suite("State database: hostile files at the path")
struct HostileDatabaseFileTests {
    static func finishes<T: Sendable>(within seconds: Double = 20, _ body: @escaping @Sendable () -> T) async -> T? {
        await BoundedWait.result(within: seconds, body)
    }

    static func openError(_ path: String, access: SQLiteStateStore.Access = .readWrite) async -> SRIOVError? {
        await finishes {
            do throws(SRIOVError) {
                _ = try SQLiteStateStore(path: path, access: access)
                return SRIOVError(.system, "opened")
            } catch {
                return error
            }
        } ?? {
            // Unblock a reader stuck on a FIFO, so the failing test leaves no thread behind.
            let fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
            if fd >= 0 { close(fd) }
            return SRIOVError(.system, "still blocked after 20 s")
        }()
    }

    @Test("a FIFO at the path is refused at once, for writers and readers, and stays a FIFO")
    func fifo() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        #expect(mkfifo(path, 0o600) == 0)
        for access in [SQLiteStateStore.Access.readWrite, .readOnly] {
            let error = await Self.openError(path, access: access)
            #expect(error?.message.contains("is a FIFO (named pipe), not a state database file; nothing was changed") == true,
                    "\(String(describing: error))")
        }
        #expect(dir.entries() == ["state.db"], "nothing may be created beside a refused path")
        var st = stat()
        #expect(lstat(path, &st) == 0 && FileKind(mode: UInt32(st.st_mode)) == .fifo)
    }

    @Test("a directory, or a symlink to a FIFO, at the path is refused and named")
    func directoryAndLinkToFIFO() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.file("db-dir"), withIntermediateDirectories: false)
        #expect(await Self.openError(dir.file("db-dir"))?.message.contains("is a directory") == true)
        #expect(mkfifo(dir.file("pipe"), 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir.file("state.db"), withDestinationPath: dir.file("pipe"))
        let error = await Self.openError(dir.file("state.db"))
        #expect(error?.message.contains("(\(dir.path)/pipe) is a FIFO") == true, "\(String(describing: error))")
        #expect(await Self.openError(dir.path + "/..")?.message.contains("names a directory") == true)
    }

    @Test("a file someone else owns, or that others can write, is refused with the command that fixes it")
    func foreignFile() async throws {
        try #require(geteuid() == 0, "needs root to give a file to another user")
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        #expect(chown(path, 12345, 12345) == 0 && chmod(path, 0o666) == 0)
        let error = await Self.openError(path)
        #expect(error?.message.contains("is owned by uid 12345 and is writable by its group and others (mode 666)") == true,
                "\(String(describing: error))")
        #expect(error?.message.contains("chown root:root \(path) && chmod 600 \(path)") == true)
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_size == 0 && st.st_uid == 12345, "the file was not initialized")
        // Through a link too, and the fix names the real file.
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.db"), withDestinationPath: path)
        #expect(await Self.openError(dir.file("link.db"))?.message.contains("chmod 600 \(path)") == true)
        // Owned by us but writable by others: refused too; fixed, it opens.
        #expect(chown(path, 0, 0) == 0)
        #expect(await Self.openError(path)?.message.contains("is writable by its group and others") == true)
        #expect(chmod(path, 0o600) == 0)
        #expect(await Self.openError(path)?.message == "opened")
    }

    @Test("a database with a second hard link is refused: the other name would take another lock")
    func hardLink() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        _ = try SQLiteStateStore(path: path)
        try FileManager.default.createDirectory(atPath: dir.file("other"), withIntermediateDirectories: false)
        #expect(link(path, dir.file("other/state.db")) == 0)
        let error = await Self.openError(dir.file("other/state.db"))
        #expect(error?.message.contains("has 2 hard links") == true, "\(String(describing: error))")
        #expect(throws: SRIOVError.self) { try StateOperationLock.path(forDatabase: path) }
        #expect(!FileManager.default.fileExists(atPath: dir.file("other/state.db.lock")))
    }

    @Test("a symlink to the database takes the database's own lock, and a link planted at -wal is refused")
    func symlinkSharesLock() async throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("real/state.db")
        _ = try SQLiteStateStore(path: path)
        try FileManager.default.createDirectory(atPath: dir.file("elsewhere"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir.file("elsewhere/state.db"), withDestinationPath: path)
        let real = try #require(try? StateDatabaseLocation.resolve(path).resolved)
        #expect(try StateOperationLock.path(forDatabase: dir.file("elsewhere/state.db")) == real + ".lock")
        // Held through the real name, the link's lock is busy.
        try StateOperationLock.holding(databasePath: path) { () throws(SRIOVError) in
            #expect(throws: SRIOVError.self) {
                try StateOperationLock.holding(databasePath: dir.file("elsewhere/state.db"), timeout: 0) { () throws(SRIOVError) in }
            }
        }
        try FileManager.default.createSymbolicLink(atPath: path + "-wal", withDestinationPath: dir.file("victim"))
        #expect(await Self.openError(path)?.message.contains("state.db-wal is a symbolic link") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.file("victim")))
    }
}
