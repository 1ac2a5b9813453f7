import Foundation
import SRIOVTesting
import Testing

/// `sriovctl vf` as a user runs it: input errors are caught before anything reaches
/// the kernel (the fixture's netdev does not exist in this kernel, so anything sent
/// would fail with "no such network interface" instead of these messages).
@Suite("sriovctl vf")
struct VFCommandTests {
    private func run(_ arguments: [String], stdin: String? = nil) async throws -> SriovctlProcess.Result {
        try await SriovctlProcess.run(arguments, stdin: stdin)
    }

    @Test("vf set with nothing to set is a usage error")
    func nothingToSet() async throws {
        let fixture = try HostFixtures.netdevsim()
        let result = try await run(["vf", "set", "eni10np1", "0", "--sysfs-root", fixture.root])
        #expect(result.status == 64)
        #expect(result.stderr.contains("nothing to set"))
    }

    @Test("Invalid values are refused with the PF, VF and value named, exit 1")
    func invalidValues() async throws {
        let fixture = try HostFixtures.netdevsim()
        let cases: [([String], String)] = [
            (["--mac", "01:00:5e:00:00:01"], "eni10np1 VF 1: MAC 01:00:5e:00:00:01 is multicast"),
            (["--vlan", "4096"], "eni10np1 VF 1: VLAN 4096 is out of range (0-4095)"),
            (["--vlan", "5", "--qos", "8"], "eni10np1 VF 1: VLAN QoS 8 is out of range (0-7)"),
            (["--vlan", "0", "--proto", "802.1ad"], "eni10np1 VF 1: 802.1ad needs a VLAN id"),
            (["--min-rate", "900", "--max-rate", "100"], "minimum rate 900 Mbps is above maximum rate 100 Mbps"),
            (["--mac", "nonsense"], "eni10np1 VF 1: 'nonsense' is not a MAC address"),
        ]
        for (options, message) in cases {
            let result = try await run(["vf", "set", "eni10np1", "1", "--sysfs-root", fixture.root] + options)
            #expect(result.status == 1, "\(options)")
            #expect(result.stderr.contains(message), "\(options): \(result.stderr)")
        }
    }

    @Test("A bad switch or link state is a usage error (exit 64) naming the option, the value and the choices")
    func badSwitches() async throws {
        let fixture = try HostFixtures.netdevsim()
        let cases: [([String], [String])] = [
            (["--trust", "maybe"], ["'maybe'", "--trust", "'on'", "'off'"]),
            (["--spoofchk", "sometimes"], ["'sometimes'", "--spoofchk"]),
            (["--link-state", "up"], ["'up'", "--link-state", "'auto'", "'enable'", "'disable'"]),
        ]
        for (options, words) in cases {
            for command in [["vf", "set", "eni10np1", "1"], ["attach", "web1", "--network", "lan"]] {
                let result = try await run(command + ["--sysfs-root", fixture.root] + options)
                #expect(result.status == 64, "\(command) \(options)")
                for word in words { #expect(result.stderr.contains(word), "\(command) \(options): \(result.stderr)") }
            }
        }
    }

    @Test("An unknown PF names the known ones")
    func unknownPF() async throws {
        let fixture = try HostFixtures.netdevsim()
        let result = try await run(["vf", "show", "eth9", "--sysfs-root", fixture.root])
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown PF 'eth9' (known PFs: eni10np1)"))
    }

    @Test("vf apply refuses a bad line before reading or sending anything, naming the line")
    func applyBadLine() async throws {
        let fixture = try HostFixtures.netdevsim()
        let cases: [(String, String)] = [
            ("{\"vf\": 0, \"vlan\": 10}\n{\"vf\": 1, \"vlan\": 4096}\n", "<stdin> line 2: eni10np1 VF 1: VLAN 4096 is out of range"),
            ("# comment\n\n{\"vf\": 0, \"vlanid\": 10}\n", "<stdin> line 3: unknown key 'vlanid'"),
            ("{\"vf\": 0}\n{\"vf\": 0, \"trust\": true}\n", "<stdin> line 2: VF 0 is already set on line 1"),
            ("{\"mac\": \"02:00:00:00:00:01\"}\n", "<stdin> line 1: missing \"vf\""),
            ("{\"vf\": 0, \"trust\": \"yes\"}\n", "<stdin> line 1: \"trust\" must be true or false"),
            ("not json\n", "<stdin> line 1: not a JSON object"),
            ("{\"vf\": 0.5}\n", "<stdin> line 1: \"vf\" must be a whole number"),
            ("{\"vf\": 0, \"mac\": [1]}\n", "<stdin> line 1: \"mac\" must be a string, an integer, true, false or null"),
            ("{\"vf\": 0, \"mac\": \"02:00:00:00:00:0\\u0031\", \"mac\": \"x\"}\n", "<stdin> line 1: key \"mac\" appears twice"),
            ("{\"vf\": 0, \"mac\": \"\\u0030\\u0031:00:5e:00:00:01\"}\n", "<stdin> line 1: eni10np1 VF 0: MAC 01:00:5e:00:00:01 is multicast"),
            ("{\"vf\": 0} {\"vf\": 1}\n", "<stdin> line 1: text after the object"),
            // Windows line ends: each CRLF ends a line (the whole file was one line before).
            ("{\"vf\": 0, \"vlan\": 1}\r\n{\"vf\": 1, \"vlan\": 4096}\r\n", "<stdin> line 2: eni10np1 VF 1: VLAN 4096 is out of range"),
            // A character outside the BMP is a UTF-16 surrogate pair in JSON (RFC 8259); half of one is not.
            ("{\"vf\": 0, \"\\ud83d\\ude00\": 1}\n", "<stdin> line 1: unknown key '\u{1F600}'"),
            ("{\"vf\": 0, \"mac\": \"\\ud83d\"}\n", "<stdin> line 1: bad \\u escape in a string (a lone UTF-16 surrogate)"),
            ("{\"vf\": 0, \"mac\": \"\\u+041\"}\n", "<stdin> line 1: bad \\u escape in a string"),
            ("\n", "<stdin>: no VF to program"),
        ]
        for (input, message) in cases {
            let result = try await run(["vf", "apply", "eni10np1", "--sysfs-root", fixture.root], stdin: input)
            #expect(result.status == 1)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }
}
