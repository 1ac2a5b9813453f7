import CNetlink
import Foundation
import Glibc
import Logging
import SRIOVCore
import Testing
@testable import SRIOVLinux

/// The real kernel, in a fresh network namespace with a veth pair: reading a link and
/// being told clearly that a veth has no VFs. Needs root and iproute2.
@Suite("Netlink in a network namespace", .enabled(if: NetnsLab.available, NetnsLab.skipReason), .serialized)
struct NetlinkNamespaceTests {
    @Test("Reading a veth: name, ifindex, operstate, no VFs, no permanent MAC, kind veth")
    func readVeth() throws {
        let lab = try NetnsLab()
        defer { lab.remove() }
        try lab.ip("link", "add", "va", "type", "veth", "peer", "name", "vb")
        let control = lab.control()
        let down = try control.read("va", on: try lab.socket())
        #expect(down.status.name == "va")
        #expect(down.status.ifindex > 0)
        #expect(down.status.operState == "down")
        #expect(down.status.numVFs == 0 && down.status.vfs.isEmpty)
        #expect(down.status.permanentMAC == nil)
        #expect(down.status.mac != nil)
        #expect(down.kind == "veth")

        try lab.ip("link", "set", "va", "up")
        try lab.ip("link", "set", "vb", "up")
        #expect(try control.readPF("va").operState == "up")
    }

    @Test("A link that does not exist: 'no such network interface'")
    func missingLink() throws {
        let lab = try NetnsLab()
        defer { lab.remove() }
        let error = #expect(throws: SRIOVError.self) { try lab.control().readPF("nosuch0") }
        #expect(error?.message == "nosuch0: no such network interface")
        #expect(error?.code == .notFound)
    }

    @Test("Programming a VF of a veth: a clear error, no crash, nothing changed")
    func programVeth() throws {
        let lab = try NetnsLab()
        defer { lab.remove() }
        try lab.ip("link", "add", "va", "type", "veth", "peer", "name", "vb")
        let control = lab.control()
        let before = try control.readPF("va")

        // Through the public path: refused before sending (a veth has no VFs).
        let report = control.apply([VFChange(index: 0, settings: VFSettings(mac: MACAddress("02:00:00:00:00:01")))],
                                   on: "va")
        #expect(report.outcomes[0].error?.message == "va VF 0: no such VF (PF has 0 VFs)")
        #expect(report.requests == 0)

        // Sent anyway (as if the PF claimed a VF): the kernel's EOPNOTSUPP, named.
        var claimed = before
        claimed.numVFs = 1
        var applier = VFBatchApplier(pf: claimed, driver: control.driverPhrase("va", kind: "veth"),
                                     transport: try lab.socket(), budget: 30_000, logger: Logger(label: "test"))
        let outcomes = applier.apply([VFChange(index: 0, settings: VFSettings(mac: MACAddress("02:00:00:00:00:01"),
                                                                              trust: true))])
        #expect(outcomes[0].error?.message == "va VF 0: driver veth does not support setting the MAC")
        #expect(outcomes[0].error?.code == .notSupported)
        #expect(outcomes[0].applied.isEmpty)
        #expect(try control.readPF("va") == before)
    }
}

/// A throwaway network namespace (`ip netns add`), removed by ``remove()``.
struct NetnsLab {
    static let ipPath = "/usr/sbin/ip"
    static var available: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: ipPath) }
    static var skipReason: Comment {
        geteuid() != 0 ? "needs root to create a network namespace" : "needs iproute2 at \(ipPath)"
    }

    let name = "sriovctl-nl-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    init() throws {
        try Self.run(["netns", "add", name])
    }

    /// `ip -n NAME ARGS...`.
    func ip(_ arguments: String...) throws {
        try Self.run(["-n", name] + arguments)
    }

    func remove() {
        try? Self.run(["netns", "del", name])
    }

    /// A socket opened inside the namespace: this thread enters it, opens the socket and
    /// comes back before anything else can run on it.
    func socket() throws -> RouteSocket {
        let target = open("/var/run/netns/\(name)", O_RDONLY | O_CLOEXEC)
        let home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)
        defer { close(target); close(home) }
        guard target >= 0, home >= 0 else { throw SRIOVError(.system, "cannot open namespace \(name)") }
        let CLONE_NEWNET: Int32 = 0x4000_0000
        // setns(2) is declared only under _GNU_SOURCE, which Swift's Glibc module does not set:
        // found in libc at run time, so the product's C shim does not carry a test-only call.
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "setns") else {
            throw SRIOVError(.system, "libc has no setns")
        }
        let sriovctl_setns = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
        guard sriovctl_setns(target, CLONE_NEWNET) == 0 else { throw SRIOVError(.system, "setns failed: \(errno)") }
        defer { precondition(sriovctl_setns(home, CLONE_NEWNET) == 0, "could not return to the original namespace") }
        return try RouteSocket()
    }

    func control() -> RTNetlinkVFControl {
        let lab = self
        return RTNetlinkVFControl(logger: Logger(label: "test"), sysfs: SysfsTree(root: "/nonexistent")) {
            () throws(SRIOVError) -> any NetlinkTransport in
            do { return try lab.socket() } catch { throw error as? SRIOVError ?? SRIOVError(.system, "\(error)") }
        }
    }

    private static func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ipPath)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw SRIOVError(.system, "ip \(arguments.joined(separator: " ")): \(text)")
        }
    }
}
