import Foundation
import Glibc
import SRIOVLinux
import SRIOVLinuxPrograms
import SRIOVTesting
import Testing

/// The two binaries as a user meets them: `sriovctl` serves `--version` and `vf apply` itself
/// and hands every other command line to `sriovctl-full`; a user cannot tell which one
/// answered.
@Suite("sriovctl and sriovctl-full")
struct LeanBinaryTests {
    private static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lean-binary-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    /// Copies the built `sriovctl` to `path` through a close-on-exec descriptor. FileManager's copy
    /// writes through one without it, which a process another test starts meanwhile can inherit
    /// and keep open; the kernel then refuses to run the copy ("Text file busy", seen in CI).
    private static func copyBinary(to path: String) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: SriovctlProcess.binaryPath))
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        try bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                offset += written
            }
        }
    }

    private func both(_ arguments: [String], stdin: String = "") async throws
        -> (lean: SriovctlProcess.Result, full: SriovctlProcess.Result) {
        let environment = ProcessInfo.processInfo.environment
        let lean = try await ChildProcess.run(SriovctlProcess.binaryPath, arguments, environment: environment, stdin: stdin)
        let full = try await ChildProcess.run(SriovctlProcess.fullBinaryPath, arguments, environment: environment, stdin: stdin)
        return (lean, full)
    }

    @Test("--version and vf apply say the same from either binary, exit code included")
    func servedCommandsMatchTheFullBinary() async throws {
        let fixture = try HostFixtures.netdevsim()
        let spec = fixture.root + "/spec.jsonl"
        try "{\"vf\": 0, \"vlan\": 10}\n{\"vf\": 1, \"vlan\": 4096}\n".write(toFile: spec, atomically: true, encoding: .utf8)
        let runs: [([String], String)] = [
            (["--version"], ""),
            (["vf", "apply", "eni10np1", "--sysfs-root", fixture.root], "{\"vf\": 0, \"trust\": \"yes\"}\n"),
            (["vf", "apply", "--file", spec, "eni10np1", "--sysfs-root", fixture.root, "--json"], ""),
            (["vf", "apply", "eni10np1", "--sysfs-root", fixture.root], "{\"vf\": 9}\n"),
            (["vf", "apply", "eth9", "--sysfs-root", fixture.root], "{\"vf\": 0}\n"),
            (["vf", "apply", "eni10np1", "--file", fixture.root + "/missing.jsonl", "--sysfs-root", fixture.root], ""),
        ]
        for (arguments, stdin) in runs {
            let (lean, full) = try await both(arguments, stdin: stdin)
            #expect(lean.status == full.status, "\(arguments)")
            #expect(lean.stdout == full.stdout, "\(arguments)")
            #expect(lean.stderr == full.stderr, "\(arguments)")
        }
        let (lean, _) = try await both(["vf", "apply", "eni10np1", "--sysfs-root", fixture.root], stdin: "{\"vf\": 9}\n")
        #expect(lean.status == 1)
        #expect(lean.stderr == "sriovctl: <stdin> line 1: eni10np1 VF 9: no such VF (PF has 4 VFs)\n", "\(lean.stderr)")
    }

    @Test("Other command lines are the full binary's: help, usage errors and their exit codes")
    func otherCommandsRunTheFullBinary() async throws {
        for arguments in [["list", "--help"], ["vf", "apply"], ["vf", "apply", "eth0", "--bogus"], ["--help"],
                          ["nosuchcommand"]] {
            let (lean, full) = try await both(arguments)
            #expect(lean.status == full.status, "\(arguments)")
            #expect(lean.stdout == full.stdout, "\(arguments)")
            #expect(lean.stderr == full.stderr, "\(arguments)")
        }
        let (usage, _) = try await both(["vf", "apply"])
        #expect(usage.status == 64)
        #expect(usage.stderr.contains("Missing expected argument '<pf>'"))
    }

    @Test("Without sriovctl-full beside it or in ../libexec/sriovctl, other commands fail saying so; --version still works")
    func missingFullBinary() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let alone = directory + "/sriovctl"
        try Self.copyBinary(to: alone)
        let environment = ProcessInfo.processInfo.environment
        let list = try await ChildProcess.run(alone, ["list"], environment: environment)
        #expect(list.status == 1)
        #expect(list.stderr.hasPrefix("sriovctl: cannot run sriovctl-full, which serves every command but --version and vf apply ("),
                "\(list.stderr)")
        #expect(list.stderr.contains(directory + "/sriovctl-full: No such file or directory"), "\(list.stderr)")
        let version = try await ChildProcess.run(alone, ["--version"], environment: environment)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("sriovctl "))
    }

    @Test("The Debian layout: /usr/bin/sriovctl finds /usr/libexec/sriovctl/sriovctl-full")
    func libexecLayout() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bin = directory + "/usr/bin", libexec = directory + "/usr/libexec/sriovctl"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: libexec, withIntermediateDirectories: true)
        try Self.copyBinary(to: bin + "/sriovctl")
        try FileManager.default.createSymbolicLink(atPath: libexec + "/sriovctl-full", withDestinationPath: SriovctlProcess.fullBinaryPath)
        let result = try await ChildProcess.run(bin + "/sriovctl", ["list", "--help"], environment: ProcessInfo.processInfo.environment)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("USAGE: sriovctl list"), "\(result.stdout)")
    }

    @Test("The lean binary loads no full Foundation, ICU, SQLite or ArgumentParser code (what keeps its start short)")
    func leanBinaryLinksLittle() async throws {
        let readelf = try #require(["/usr/bin/readelf", "/bin/readelf"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "readelf (binutils) is missing")
        let result = try await ChildProcess.run(readelf, ["-d", "-W", SriovctlProcess.binaryPath],
                                                environment: ProcessInfo.processInfo.environment)
        #expect(result.status == 0, "\(result.stderr)")
        let needed = result.stdout.split(separator: "\n").filter { $0.contains("(NEEDED)") }
        #expect(!needed.isEmpty, "\(result.stdout)")
        for line in needed {
            for heavy in ["libFoundation.so", "libFoundationInternationalization", "_FoundationICU", "libsqlite3", "libvirt",
                          "libxml2", "ArgumentParser"] {
                #expect(!line.contains(heavy), "the lean binary needs \(line)")
            }
        }
        let symbols = try await ChildProcess.run("/usr/bin/nm", ["-D", "--defined-only", SriovctlProcess.binaryPath],
                                                 environment: ProcessInfo.processInfo.environment)
        #expect(symbols.status == 0, "\(symbols.stderr)")
        #expect(!symbols.stdout.contains("14ArgumentParser"), "ArgumentParser is linked into the lean binary")
        #expect(!symbols.stdout.contains("4GRDB"), "GRDB is linked into the lean binary")
    }
}
