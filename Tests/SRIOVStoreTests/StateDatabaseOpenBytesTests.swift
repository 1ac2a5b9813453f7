import Foundation
import SRIOVCore
import Testing
@testable import SRIOVStore

/// Opening an up-to-date database writes nothing: a command that opens the state database
/// and is then refused (bad input) leaves the file's bytes as they were.
@Suite("state database: opening writes nothing")
struct StateDatabaseOpenBytesTests {
    @Test("reopening an up-to-date database and reading it leaves every byte as it was")
    func reopenKeepsBytes() throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("state.db")
        do {
            let store = try SQLiteStateStore(path: path, programVersion: "test")
            try store.update { (_) throws(SRIOVError) in StateUpdate(edits: StoreSamples.edits) }
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            let store = try SQLiteStateStore(path: path, programVersion: "test 2")
            _ = try store.read()
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(after == before, "the file changed on open (schema cookie, meta rows or header)")
        #expect(!FileManager.default.fileExists(atPath: path + "-wal")
                || ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size]) as? NSNumber)?.intValue == 0)
    }
}
