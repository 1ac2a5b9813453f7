import ArgumentParser
@testable import sriovctl
import SRIOVFrontEnd
import Testing

/// The lean binary's hand-read command lines against ArgumentParser's reading of the same
/// arguments: every form ``LeanCommandLine`` serves must mean exactly what it means to the
/// full binary, and every other form must be left to the full binary.
@Suite("The lean binary's command line")
struct LeanCommandLineTests {
    /// Forms the lean binary serves, and what they mean.
    static let served: [([String], LeanCommandLine.VFApplyArguments, verbose: Bool)] = [
        (["vf", "apply", "eth0"], .init(pf: "eth0"), false),
        (["vf", "apply", "eth0", "--file", "spec.jsonl"], .init(pf: "eth0", file: "spec.jsonl"), false),
        (["vf", "apply", "--file=spec.jsonl", "0000:01:00.0", "--json"],
         .init(pf: "0000:01:00.0", file: "spec.jsonl", json: true), false),
        (["vf", "apply", "--json", "--sysfs-root", "/tmp/sys", "eth3", "-v"],
         .init(pf: "eth3", json: true, sysfsRoot: "/tmp/sys"), true),
        (["vf", "apply", "eth3", "--sysfs-root=/a=b", "--db", "/x.db", "--config-file=/c.yaml",
          "--agent-socket", "/run/s", "--direct", "--verbose"], .init(pf: "eth3", sysfsRoot: "/a=b"), true),
    ]

    @Test("Each served form means to ArgumentParser what it means to the lean binary")
    func servedFormsAgree() throws {
        #expect(LeanCommandLine(["--version"]) == .version)
        for (arguments, expected, verbose) in Self.served {
            #expect(LeanCommandLine(arguments) == .vfApply(expected), "\(arguments)")
            let parsed = try SriovctlCommand.parseAsRoot(arguments)
            let command = try #require(parsed as? VFApplyCommand, "\(arguments) is not vf apply to ArgumentParser")
            #expect(command.pf == expected.pf, "\(arguments)")
            #expect(command.file == expected.file, "\(arguments)")
            #expect(command.json == expected.json, "\(arguments)")
            #expect(command.global.sysfsRoot == expected.sysfsRoot, "\(arguments)")
            #expect(command.global.verbose == verbose, "\(arguments)")
            #expect((StandardErrorLogging.requestedLevel(["sriovctl"] + arguments) == .info) == verbose)
        }
    }

    @Test("Anything else is left to the full binary (help, usage errors, other commands)")
    func otherFormsGoToTheFullBinary() {
        let others: [[String]] = [
            [], ["--help"], ["-h"], ["help"], ["--version", "--help"], ["--version", "x"], ["list"],
            ["vf"], ["vf", "show", "eth0"], ["vf", "set", "eth0", "1", "--trust", "on"],
            ["vf", "apply"], ["vf", "apply", "--help"], ["vf", "apply", "eth0", "-h"],
            ["vf", "apply", "eth0", "eth1"], ["vf", "apply", ""],
            ["vf", "apply", "eth0", "--file"], ["vf", "apply", "eth0", "--file="],
            ["vf", "apply", "eth0", "--file", "-"], ["vf", "apply", "eth0", "--file", "--json"],
            ["vf", "apply", "eth0", "--file", "a", "--file", "b"], ["vf", "apply", "eth0", "--json", "--json"],
            ["vf", "apply", "eth0", "-v", "--verbose"], ["vf", "apply", "eth0", "-vv"],
            ["vf", "apply", "eth0", "--bogus"], ["vf", "apply", "eth0", "--json=yes"], ["vf", "apply", "eth0", "--"],
            ["vf", "apply", "--", "eth0"], ["vf", "apply", "eth0", "--generate-completion-script", "bash"],
            ["vf", "apply", "eth0", "--experimental-dump-help"],
        ]
        for arguments in others {
            #expect(LeanCommandLine(arguments) == nil, "\(arguments) should go to sriovctl-full")
        }
    }
}
