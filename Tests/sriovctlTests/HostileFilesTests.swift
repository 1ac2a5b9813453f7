import Foundation
import GRDB
import SRIOVCore
import SRIOVStore
import SRIOVTesting
import Testing

/// Issue 11, the filesystem half, run with the built binary as a user would: outputs never
/// replace what they must not, the state database is found by what it is, a damaged one is
/// an error, and readers only read.
@Suite("sriovctl on a hostile filesystem")
struct HostileFilesTests {
    typealias Host = AttachCommandTests.Host

    /// A host with web1 attached on prod.
    static func attachedHost() async throws -> Host {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let result = try await host.attach("web1", ["--network", "prod"])
        #expect(result.status == 0, "\(result.stderr)")
        return host
    }

    /// `audit --output path` on `host` (no libvirt, no netlink).
    static func audit(_ host: Host, output: String) async throws -> SriovctlProcess.Result {
        try await host.run(["audit", "--no-libvirt", "--no-netlink", "--output", output])
    }

    /// Runs the binary on a thread with a bound: a FIFO read would block it forever.
    static func runBounded(_ host: Host, _ arguments: [String], seconds: Double = 30) async -> SriovctlProcess.Result? {
        await BoundedWait.result(within: seconds) { try? host.runBlocking(arguments) } ?? nil
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    static func mtime(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    // MARK: audit --output

    @Test("audit --output DIR, '..', '.' and 'dir/' are refused: the tree stays, exit 2")
    func outputDirectory() async throws {
        let host = try await Self.attachedHost()
        let tree = host.dir + "/reports"
        try FileManager.default.createDirectory(atPath: tree + "/sub", withIntermediateDirectories: true)
        try "keep".write(toFile: tree + "/sub/file", atomically: true, encoding: .utf8)
        let result = try await Self.audit(host, output: tree)
        #expect(result.status == 2)
        #expect(result.stderr.contains("\(tree) is a directory; the report is written only to a new or regular file. Nothing was changed"),
                "\(result.stderr)")
        #expect(try String(contentsOfFile: tree + "/sub/file", encoding: .utf8) == "keep")
        for name in [tree + "/sub/..", tree + "/.", tree + "/"] {
            let refused = try await Self.audit(host, output: name)
            #expect(refused.status == 2 && refused.stderr.contains("names a directory"), "\(name): \(refused.stderr)")
        }
        #expect(try String(contentsOfFile: tree + "/sub/file", encoding: .utf8) == "keep")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree).sorted() == ["sub"])
    }

    @Test("audit --output on the state database, its lock, or the config file (or a hard link to it) is refused; leases intact")
    func outputOwnFiles() async throws {
        let host = try await Self.attachedHost()
        let db = Self.bytes(host.db)
        let config = Self.bytes(host.configPath)
        for (path, role) in [(host.db, "the state database"), (host.db + ".lock", "the state database's lock file"),
                             (host.configPath, "the config file")] {
            let result = try await Self.audit(host, output: path)
            #expect(result.status == 2)
            #expect(result.stderr.contains("\(path) is \(role)"), "\(result.stderr)")
        }
        #expect(link(host.configPath, host.dir + "/config-link") == 0)
        let viaLink = try await Self.audit(host, output: host.dir + "/config-link")
        #expect(viaLink.stderr.contains("is the config file (\(host.configPath))"), "\(viaLink.stderr)")
        #expect(Self.bytes(host.db) == db && Self.bytes(host.configPath) == config)
        #expect(try await host.leases().map { $0["guest"] as? String } == ["web1"])
    }

    @Test("audit --output on a FIFO, a device node or a symlink is refused; each stays what it was")
    func outputSpecialFiles() async throws {
        let host = try await Self.attachedHost()
        let fifo = host.dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        let result = try await Self.audit(host, output: fifo)
        #expect(result.status == 2 && result.stderr.contains("\(fifo) is a FIFO (named pipe)"), "\(result.stderr)")
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && FileKind(mode: UInt32(st.st_mode)) == .fifo)

        try "keep".write(toFile: host.dir + "/victim", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: host.dir + "/link.txt", withDestinationPath: host.dir + "/victim")
        let link = try await Self.audit(host, output: host.dir + "/link.txt")
        #expect(link.status == 2 && link.stderr.contains("is a symbolic link to \(host.dir)/victim"), "\(link.stderr)")
        #expect(try String(contentsOfFile: host.dir + "/victim", encoding: .utf8) == "keep")
        #expect(lstat(host.dir + "/link.txt", &st) == 0 && FileKind(mode: UInt32(st.st_mode)) == .symbolicLink)

        if geteuid() == 0 {
            // A private /dev/null: character device 1:3 (glibc makedev(1, 3) == 0x103).
            let null = host.dir + "/null"
            #expect(mknod(null, S_IFCHR | 0o666, dev_t(0x103)) == 0)
            let device = try await Self.audit(host, output: null)
            #expect(device.status == 2 && device.stderr.contains("\(null) is a character device"), "\(device.stderr)")
            #expect(lstat(null, &st) == 0 && FileKind(mode: UInt32(st.st_mode)) == .characterDevice)
        }
    }

    @Test("audit --output writes a new file 0600 and replaces a regular file atomically, leaving no temporary file")
    func outputRegular() async throws {
        let host = try await Self.attachedHost()
        let path = host.dir + "/report.txt"
        let fresh = try await Self.audit(host, output: path)
        #expect(fresh.status == 0, "\(fresh.stderr)")
        #expect(TempDirMode.of(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("Audit of host"))
        try "old".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(chmod(path, 0o644) == 0)
        #expect(try await Self.audit(host, output: path).status == 0)
        #expect(TempDirMode.of(path) == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("Audit of host"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.dir).filter { $0.contains("sriovctl-") }.isEmpty)
    }

    // MARK: The database found by what it is

    @Test("a FIFO at --db: attach, leases, audit and detach refuse it at once, and it stays a FIFO")
    func fifoDatabase() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        try FileManager.default.createDirectory(atPath: host.dir + "/lib", withIntermediateDirectories: true)
        #expect(mkfifo(host.db, 0o600) == 0)
        for arguments in [["attach", "web1", "--network", "prod", "--no-program"], ["leases"],
                          ["audit", "--no-libvirt", "--no-netlink"], ["detach", "web1", "--network", "prod", "--no-program"],
                          ["state", "check"]] {
            let result = await Self.runBounded(host, arguments)
            if result == nil {
                // Unblock the reader stuck on the FIFO (it then reads end-of-file), so the
                // failing run does not leave a process behind.
                let fd = open(host.db, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                if fd >= 0 { close(fd) }
            }
            #expect(result != nil, "\(arguments[0]) hung on the FIFO")
            #expect(result?.status != 0)
            #expect(result?.stderr.contains("\(host.db) is a FIFO (named pipe), not a state database file") == true,
                    "\(arguments[0]): \(result?.stderr ?? "")")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.dir + "/lib") == ["state.db"])
    }

    @Test("attach through a symlink to the database waits for the lock held on the real name")
    func symlinkTakesTheSameLock() async throws {
        let host = try await Self.attachedHost()
        try FileManager.default.createDirectory(atPath: host.dir + "/other", withIntermediateDirectories: true)
        let linkPath = host.dir + "/other/state.db"
        try FileManager.default.createSymbolicLink(atPath: linkPath, withDestinationPath: host.db)
        let lockPath = try StateDatabaseLocation.resolve(host.db).lockPath
        let holder = try await FlockHolder.hold(lockPath)
        let attach = try BackgroundProcess(sriovctl: ["attach", "web2", "--network", "prod", "--no-program",
                                                      "--sysfs-root", host.sysfs.root, "--db", linkPath,
                                                      "--config-file", host.configPath])
        let waited = await attach.waitForStderr(containing: "waiting for another sriovctl to finish (it holds \(lockPath))")
        let leasesWhileLocked = (try? SQLiteStateStore(path: host.db, access: .readOnly).read().leases.count) ?? -1
        await holder.release()
        let result = await attach.finish()
        #expect(waited, "attach through the link did not wait for the real database's lock: \(result.stderr)")
        #expect(leasesWhileLocked == 1, "attach wrote while another sriovctl held the lock")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await host.leases().count == 2)
        #expect(!FileManager.default.fileExists(atPath: linkPath + ".lock"), "the link took a lock of its own")
    }

    @Test("attach with an unknown network and a missing --db directory creates nothing")
    func badInputCreatesNothing() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let before = try FileManager.default.contentsOfDirectory(atPath: host.dir).sorted()
        let result = try await SriovctlProcess.run(["attach", "g", "--network", "nosuch", "--no-program", "--sysfs-root", host.sysfs.root,
                                              "--db", host.dir + "/missing/x.db", "--config-file", host.configPath])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nosuch"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.dir).sorted() == before)
        let detach = try await SriovctlProcess.run(["detach", "g", "--network", "prod", "--no-program", "--sysfs-root", host.sysfs.root,
                                              "--db", host.dir + "/missing/x.db", "--config-file", host.configPath])
        #expect(detach.status == 1 && detach.stderr.contains("no state database"), "\(detach.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.dir).sorted() == before)
    }

    @Test("an empty database file owned by another user, mode 0666, is refused with the fix, not adopted")
    func foreignEmptyFile() async throws {
        try #require(geteuid() == 0, "needs root to give a file to another user")
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        try FileManager.default.createDirectory(atPath: host.dir + "/lib", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: host.db, contents: nil))
        #expect(chown(host.db, 4321, 4321) == 0 && chmod(host.db, 0o666) == 0)
        let result = try await host.attach("web1", ["--network", "prod"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("chown root:root \(host.db) && chmod 600 \(host.db)"), "\(result.stderr)")
        #expect(Self.bytes(host.db).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: host.dir + "/lib") == ["state.db"])
    }

    // MARK: Damage

    @Test("slot='abc' in the lease table: every command says which row is damaged and how to recover; none crashes")
    func damagedRow() async throws {
        let host = try await Self.attachedHost()
        let queue = try DatabaseQueue(path: host.db)
        try await queue.writeWithoutTransaction { try $0.execute(sql: "UPDATE lease SET slot = 'abc'") }
        try queue.close()
        let before = Self.bytes(host.db)
        for arguments in [["leases"], ["attach", "web2", "--network", "prod", "--no-program"],
                          ["detach", "web1", "--network", "prod", "--no-program"], ["audit", "--no-libvirt", "--no-netlink"],
                          ["provision", "--dry-run", "--no-netlink"], ["state", "check"]] {
            let result = try await host.run(arguments)
            #expect(result.status == 1 || result.status == 2, "\(arguments[0]) exited \(result.status): \(result.stderr)")
            #expect(result.stderr.contains("table lease, row id 1: column slot holds \"abc\", not an integer"),
                    "\(arguments[0]): \(result.stderr)")
            #expect(result.stderr.contains("sriovctl state restore"), "\(arguments[0]): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
        #expect(Self.bytes(host.db) == before)
    }

    @Test("a flipped byte in an index page: attach refuses to write, state check names the index; nothing changes")
    func flippedIndexByte() async throws {
        let host = try await Self.attachedHost()
        let (rootPage, pageSize) = try await DatabaseQueue(path: host.db).read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_lease_1'") ?? 0,
             try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 4096)
        }
        let handle = try #require(FileHandle(forUpdatingAtPath: host.db))
        let offset = UInt64((rootPage - 1) * pageSize + pageSize - 1)
        try handle.seek(toOffset: offset)
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: [byte ^ 0x01])
        try handle.close()
        let before = Self.bytes(host.db)
        let attach = try await host.attach("web2", ["--network", "prod"])
        #expect(attach.status == 1)
        #expect(attach.stderr.contains("is damaged (PRAGMA integrity_check: row 1 missing from index sqlite_autoindex_lease_1"),
                "\(attach.stderr)")
        let check = try await host.run(["state", "check"])
        #expect(check.status == 1 && check.stderr.contains("sqlite_autoindex_lease_1"), "\(check.stderr)")
        #expect(Self.bytes(host.db) == before, "a command wrote onto the damaged database")
    }

    @Test("state restore waits for the operation lock like any other changer")
    func restoreTakesTheLock() async throws {
        let host = try await Self.attachedHost()
        let backup = host.dir + "/backup.db"
        #expect(try await host.run(["state", "backup", backup]).status == 0)
        #expect(try await host.attach("web2", ["--network", "prod"]).status == 0)
        let holder = try await FlockHolder.hold(try StateOperationLock.path(forDatabase: host.db))
        let restore = try BackgroundProcess(sriovctl: ["state", "restore", backup, "--sysfs-root", host.sysfs.root,
                                                       "--db", host.db, "--config-file", host.configPath])
        let waited = await restore.waitForStderr(containing: "waiting for another sriovctl to finish")
        let leasesWhileLocked = (try? SQLiteStateStore(path: host.db, access: .readOnly).read().leases.count) ?? -1
        await holder.release()
        let result = await restore.finish()
        #expect(waited, "state restore did not wait for the operation lock: \(result.stderr)")
        #expect(leasesWhileLocked == 2, "state restore changed the database while another sriovctl held the lock")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try await host.leases().count == 1)
    }

    @Test("state backup, then state restore after more attaches, brings the leases back; restore repairs a damaged database")
    func backupRestore() async throws {
        let host = try await Self.attachedHost()
        let backup = host.dir + "/backup.db"
        let saved = try await host.run(["state", "backup", backup])
        #expect(saved.status == 0, "\(saved.stderr)")
        #expect(TempDirMode.of(backup) == 0o600)
        #expect(try await host.attach("web2", ["--network", "prod"]).status == 0)
        #expect(try await host.leases().count == 2)
        let restored = try await host.run(["state", "restore", backup])
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(try await host.leases().map { $0["guest"] as? String } == ["web1"])
        let check = try await host.run(["state", "check"])
        #expect(check.status == 0 && check.stdout.contains("ok (schema version 1, 1 leases"), "\(check.stdout) \(check.stderr)")

        let queue = try DatabaseQueue(path: host.db)
        try await queue.writeWithoutTransaction { try $0.execute(sql: "UPDATE lease SET slot = 'abc'") }
        try queue.close()
        #expect(try await host.run(["state", "check"]).status == 1)
        #expect(try await host.run(["state", "restore", backup]).status == 0)
        #expect(try await host.leases().map { $0["guest"] as? String } == ["web1"])
        // The backup's own rules: never onto the database itself or a directory.
        let onDB = try await host.run(["state", "backup", host.db])
        #expect(onDB.status == 1 && onDB.stderr.contains("is the state database"), "\(onDB.stderr)")
        #expect(try await host.run(["state", "backup", host.dir]).status == 1)
        #expect(try await host.leases().count == 1)
    }

    // MARK: Readers

    @Test("leases and audit leave the database's bytes and mtime as they were, and write nothing to the WAL")
    func readersRead() async throws {
        let host = try await Self.attachedHost()
        let bytes = Self.bytes(host.db)
        let mtime = Self.mtime(host.db)
        let entries = try FileManager.default.contentsOfDirectory(atPath: host.dir + "/lib").sorted()
        for arguments in [["leases"], ["leases", "--json"], ["audit", "--no-libvirt", "--no-netlink"], ["state", "check"]] {
            let result = try await host.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(Self.bytes(host.db) == bytes, "a reader changed the database")
        #expect(Self.mtime(host.db) == mtime)
        // A WAL reader needs a -wal and -shm; SQLite creates them empty when no writer has (docs/state.md).
        let after = Set(try FileManager.default.contentsOfDirectory(atPath: host.dir + "/lib"))
        #expect(after.subtracting(["state.db-wal", "state.db-shm"]) == Set(entries))
        #expect(Self.bytes(host.db + "-wal").isEmpty)
    }

    @Test("leases and audit finish while a writer holds a write transaction open")
    func readersDoNotWait() async throws {
        let host = try await Self.attachedHost()
        let queue = try DatabaseQueue(path: host.db)
        try await queue.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "DELETE FROM journal")
            for arguments in [["leases", "--json"], ["audit", "--no-libvirt", "--no-netlink"]] {
                // Inside the transaction's closure, which cannot suspend: a thread of its own, bounded.
                let result = BoundedWait.blockingResult(within: 15) { try? host.runBlocking(arguments) } ?? nil
                #expect(result?.status == 0, "\(arguments[0]) waited behind the writer or failed: \(result?.stderr ?? "timed out")")
            }
            try db.execute(sql: "ROLLBACK")
        }
    }

    @Test("leases and audit work on a read-only filesystem; attach there fails clearly")
    func readOnlyFilesystem() async throws {
        try #require(geteuid() == 0, "needs root to mount a tmpfs")
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let lib = host.dir + "/lib"
        try FileManager.default.createDirectory(atPath: lib, withIntermediateDirectories: true)
        guard mount("tmpfs", lib, "tmpfs", 0, "size=4m,mode=0700") == 0 else {
            Issue.record("cannot mount a tmpfs: \(String(cString: strerror(errno)))")
            return
        }
        defer { umount2(lib, Int32(MNT_DETACH)) }
        #expect(try await host.attach("web1", ["--network", "prod"]).status == 0)
        #expect(mount("tmpfs", lib, "tmpfs", UInt(MS_REMOUNT) | UInt(MS_RDONLY), "size=4m") == 0)
        #expect(try await host.leases().map { $0["guest"] as? String } == ["web1"])
        #expect(try await host.run(["audit", "--no-libvirt", "--no-netlink"]).status == 0)
        let attach = try await host.attach("web2", ["--network", "prod"])
        #expect(attach.status == 1 && attach.stderr.contains(host.db), "\(attach.stderr)")
    }

    @Test("a full disk: attach fails with a clear error and changes nothing; leases and audit still read")
    func fullDisk() async throws {
        try #require(geteuid() == 0, "needs root to mount a small tmpfs")
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let lib = host.dir + "/lib"
        try FileManager.default.createDirectory(atPath: lib, withIntermediateDirectories: true)
        guard mount("tmpfs", lib, "tmpfs", 0, "size=1m,mode=0700") == 0 else {
            Issue.record("cannot mount a tmpfs: \(String(cString: strerror(errno)))")
            return
        }
        defer { umount2(lib, Int32(MNT_DETACH)) }
        #expect(try await host.attach("web1", ["--network", "prod"]).status == 0)
        // Fill what is left.
        let fd = open(lib + "/filler", O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        let block = [UInt8](repeating: 0xa5, count: 4096)
        while block.withUnsafeBytes({ write(fd, $0.baseAddress, 4096) }) > 0 {}
        close(fd)
        let bytes = Self.bytes(host.db)
        let attach = try await host.attach("web2", ["--network", "prod"])
        #expect(attach.status == 1)
        #expect(attach.stderr.contains("is full") && attach.stderr.contains("nothing was changed"), "\(attach.stderr)")
        #expect(!attach.stderr.contains("Fatal error"))
        // Readers still read on the full disk.
        #expect(try await host.leases().map { $0["guest"] as? String } == ["web1"])
        let audit = try await host.run(["audit", "--no-libvirt", "--no-netlink"])
        #expect(audit.status == 0, "\(audit.stderr)")
        unlink(lib + "/filler")
        #expect(try await host.leases().map { $0["guest"] as? String } == ["web1"])
    }
}
