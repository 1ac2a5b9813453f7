import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// Hostile values typed where a user types them: on the command line, in config.yaml and in
/// `vf apply` lines, through the built binary on the sysfs fixtures (issue 11). Each is
/// refused with a message naming the option or key and the limit, shows control characters
/// escaped, and changes nothing.
@Suite("sriovctl value bounds")
struct ValueBoundsCommandTests {
    typealias Host = AttachCommandTests.Host

    /// True when `text` carries a control character or U+FFFE/U+FFFF raw (a terminal obeys C1 CSI).
    private func hasRawControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { ($0.properties.generalCategory == .control && $0 != "\n") || $0.value >= 0xfffe && $0.value <= 0xffff }
    }

    @Test("--max-rate 4294967296 is refused naming the option and the limit: vf set, attach, config, vf apply")
    func rateAboveU32() async throws {
        let sim = try HostFixtures.netdevsim()
        let limit = "maximum rate 4294967296 Mbps is out of range (0-4294967295 Mbps; the kernel's rate fields are 32-bit)"
        let set = try await SriovctlProcess.run(["vf", "set", "eni10np1", "1", "--max-rate", "4294967296", "--sysfs-root", sim.root])
        #expect(set.status == 1)
        #expect(set.stderr.contains("eni10np1 VF 1: \(limit) (from --max-rate)"), "\(set.stderr)")
        let minSet = try await SriovctlProcess.run(["vf", "set", "eni10np1", "1", "--min-rate", "18446744073709551616", "--sysfs-root", sim.root])
        #expect(minSet.status == 1 && minSet.stderr.contains("(from --min-rate)"), "\(minSet.stderr)")

        let apply = try await SriovctlProcess.run(["vf", "apply", "eni10np1", "--sysfs-root", sim.root],
                                            stdin: "{\"vf\": 0, \"maxRate\": 4294967296}\n")
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("<stdin> line 1: eni10np1 VF 0: \(limit) (from \"maxRate\")"), "\(apply.stderr)")

        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let attach = try await host.attach("web1", ["--network", "prod", "--max-rate", "4294967296"])
        #expect(attach.status != 0)
        #expect(attach.stderr.contains("\(limit) (from --max-rate)"), "\(attach.stderr)")
        #expect(try await host.leases().isEmpty)

        let configured = try Host(try HostFixtures.intel82576(), config: """
            networks:
              - name: prod
                pfs: [eth0]
                vf_defaults: { max_rate: 4294967296 }
            """)
        let fromConfig = try await configured.attach("web1", ["--network", "prod"])
        #expect(fromConfig.status == 1)
        #expect(fromConfig.stderr.contains("config.yaml:4: networks[0].vf_defaults.max_rate: \(limit)"), "\(fromConfig.stderr)")
    }

    @Test("numbers with a sign, spaces, 0x or underscores are refused, not read as another number")
    func plainDigits() async throws {
        let sim = try HostFixtures.netdevsim()
        let cases: [([String], String)] = [
            (["1", "--vlan", "+100"], "eni10np1 VF 1: VLAN '+100' is not a plain decimal number"),
            (["1", "--vlan", "0x64"], "VLAN '0x64' is not a plain decimal number"),
            (["1", "--vlan", "1_00"], "VLAN '1_00' is not a plain decimal number"),
            (["1", "--vlan", " 100"], "VLAN ' 100' is not a plain decimal number"),
            (["1", "--vlan", "5", "--qos", "+3"], "VLAN QoS '+3' is not a plain decimal number"),
            (["+1", "--trust", "on"], "eni10np1: VF index '+1' is not a plain decimal number"),
            (["1", "--min-rate", "+5"], "minimum rate '+5' is not a plain decimal number"),
        ]
        for (arguments, message) in cases {
            let result = try await SriovctlProcess.run(["vf", "set", "eni10np1"] + arguments + ["--sysfs-root", sim.root])
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let apply = try await SriovctlProcess.run(["vf", "apply", "eni10np1", "--sysfs-root", sim.root],
                                            stdin: "{\"vf\": 0, \"vlan\": -100}\n")
        #expect(apply.status == 1 && apply.stderr.contains("<stdin> line 1: eni10np1 VF 0: VLAN -100 is out of range (0-4095) (from \"vlan\")"),
                "\(apply.stderr)")
        let zero = try await SriovctlProcess.run(["vf", "apply", "eni10np1", "--sysfs-root", sim.root], stdin: "{\"vf\": 01}\n")
        #expect(zero.status == 1 && zero.stderr.contains("<stdin> line 1: \"vf\" is not a JSON number (a leading zero)"), "\(zero.stderr)")
        // A byte order mark is skipped (the line then reaches the bound check); a NUL is named, not printed.
        let bom = try await SriovctlProcess.run(["vf", "apply", "eni10np1", "--sysfs-root", sim.root],
                                          stdin: "\u{FEFF}{\"vf\": 0, \"vlan\": 4096}\n")
        #expect(bom.stderr.contains("<stdin> line 1: eni10np1 VF 0: VLAN 4096 is out of range (0-4095)"), "\(bom.stderr)")
        let nul = try await SriovctlProcess.run(["vf", "apply", "eni10np1", "--sysfs-root", sim.root], stdin: "\u{0}{\"vf\": 0}\n")
        #expect(nul.status == 1 && nul.stderr.contains("expected '{', found '\\u{00}'"), "\(nul.stderr)")
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        for (options, message) in [(["--vlan", "+100"], "VLAN '+100' is not a plain decimal number"),
                                   (["--vlan", "100:+3"], "VLAN QoS '+3' is not a plain decimal number"),
                                   (["--slot", "+1"], "slot '+1' is not a plain decimal number")] {
            let result = try await host.attach("web1", ["--network", "prod"] + options)
            #expect(result.status != 0 && result.stderr.contains(message), "\(options): \(result.stderr)")
        }
        let detach = try await host.run(["detach", "web1", "--network", "prod", "--slot", "+0", "--no-program"])
        #expect(detach.status != 0 && detach.stderr.contains("slot '+0' is not a plain decimal number"), "\(detach.stderr)")
        #expect(try await host.leases().isEmpty)
    }

    @Test("MAC octets are exactly two hex digits: 02:+a:… is refused, not stored as 02:0a:…")
    func macOctets() async throws {
        let sim = try HostFixtures.netdevsim()
        for mac in ["02:+a:00:00:01:0e", "2:a:0:0:1:e", "002:0a:00:00:01:0e"] {
            let set = try await SriovctlProcess.run(["vf", "set", "eni10np1", "1", "--mac", mac, "--sysfs-root", sim.root])
            #expect(set.status == 1 && set.stderr.contains("'\(mac)' is not a MAC address"), "\(mac): \(set.stderr)")
            let apply = try await SriovctlProcess.run(["vf", "apply", "eni10np1", "--sysfs-root", sim.root],
                                                stdin: "{\"vf\": 0, \"mac\": \"\(mac)\"}\n")
            #expect(apply.status == 1 && apply.stderr.contains("is not a MAC address"), "\(mac): \(apply.stderr)")
        }
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        let attach = try await host.attach("web1", ["--network", "prod", "--mac", "02:+a:00:00:01:0e", "--format", "json"])
        #expect(attach.status != 0 && attach.stderr.contains("'02:+a:00:00:01:0e' is not a MAC address (expected aa:bb:cc:dd:ee:ff) (from --mac)"), "\(attach.stderr)")
        #expect(try await host.leases().isEmpty)
    }

    @Test("guest and network names with C1 controls are refused and never printed raw; U+FFFF never reaches the XML")
    func names() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        for guest in ["web\u{9b}2J", "web\u{85}1", "web\u{FFFF}"] {
            let result = try await host.attach(guest, ["--network", "prod"])
            #expect(result.status == 1, "\(guest.debugDescription)")
            #expect(result.stderr.contains("guest name 'web\\u{"), "\(result.stderr)")
            #expect(!hasRawControl(result.stderr + result.stdout), "raw control character printed for \(guest.debugDescription)")
        }
        let network = try await host.attach("web1", ["--network", "prod\u{9b}"])
        #expect(network.status == 1 && network.stderr.contains("network name 'prod\\u{9b}' contains a control character (U+009B)"),
                "\(network.stderr)")
        let profile = try await host.attach("web1", ["--network", "prod", "--virtualport", "802.1Qbh", "--profile", "p\u{FFFF}1"])
        #expect(profile.status == 1 && profile.stderr.contains("802.1Qbh profile id 'p\\u{ffff}1' contains U+FFFF"), "\(profile.stderr)")
        #expect(!hasRawControl(profile.stderr + profile.stdout))
        #expect(try await host.leases().isEmpty)
        let pf = try await SriovctlProcess.run(["vf", "show", "eth\u{9b}0", "--sysfs-root", host.sysfs.root])
        #expect(pf.status == 1 && pf.stderr.contains("unknown PF 'eth\\u{9b}0'") && !hasRawControl(pf.stderr), "\(pf.stderr)")
    }

    @Test("a guest name whose bytes were not UTF-8 (read as U+FFFD) is refused: it would match no libvirt guest")
    func nameNotUTF8() async throws {
        let host = try Host(try HostFixtures.intel82576(), config: AttachCommandTests.intelConfig)
        // CommandLine.arguments turns the bytes `g\xff\xfe` into "g\u{FFFD}\u{FFFD}", as here.
        let result = try await host.attach("g\u{FFFD}\u{FFFD}", ["--network", "prod"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("guest name 'g\u{fffd}\u{fffd}' contains bytes that are not valid UTF-8 (U+FFFD)"),
                "\(result.stderr)")
        #expect(try await host.leases().isEmpty)
    }

    @Test("a 1 MB value is quoted cut short in its error: a one-line message, not a megabyte")
    func longValueQuotedShort() async throws {
        let sim = try HostFixtures.netdevsim()
        let value = String(repeating: "a", count: 1_000_000)
        let apply = try await SriovctlProcess.run(["vf", "apply", "eni10np1", "--sysfs-root", sim.root],
                                                  stdin: "{\"vf\": 0, \"mac\": \"\(value)\"}\n")
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("… (1000000 bytes)' is not a MAC address"), "\(apply.stderr.prefix(400))")
        #expect(apply.stderr.utf8.count < 1_000, "\(apply.stderr.utf8.count) bytes of error")
        // One argument can be at most 128 KiB (MAX_ARG_STRLEN).
        let set = try await SriovctlProcess.run(["vf", "set", "eni10np1", "0", "--mac", String(value.prefix(100_000)), "--sysfs-root", sim.root])
        #expect(set.status != 0 && set.stderr.utf8.count < 1_000, "\(set.stderr.utf8.count) bytes of error")
    }

    @Test("ArgumentParser's usage errors quote the argument with control characters escaped")
    func usageErrorsEscaped() async throws {
        let sim = try HostFixtures.netdevsim()
        let result = try await SriovctlProcess.run(["vf", "set", "eni10np1", "1", "--link-state", "auto\u{9b}[2J", "--sysfs-root", sim.root])
        #expect(result.status == 64)
        #expect(result.stderr.contains("The value 'auto\\u{9b}[2J' is invalid for '--link-state <link-state>'"), "\(result.stderr)")
        #expect(!hasRawControl(result.stderr))
        #expect(try await SriovctlProcess.run(["vf", "set", "--help"]).status == 0)
    }

    @Test("config errors carry file:line:key: duplicate keys, control characters, a PF not on this host")
    func configPlaces() async throws {
        let duplicate = try Host(try HostFixtures.intel82576(), config: """
            networks:
              - name: prod
                pfs: [eth0]
                vlan: 100
                vlan: 200
            """)
        let dup = try await duplicate.attach("web1", ["--network", "prod"])
        #expect(dup.status == 1)
        #expect(dup.stderr.contains("config.yaml:5:5: networks[0].vlan: key 'vlan' appears twice (first at line 4)"), "\(dup.stderr)")
        #expect(dup.stderr.split(separator: "\n").count <= 2, "the whole document printed: \(dup.stderr)")

        let control = try Host(try HostFixtures.intel82576(), config: "networks:\n  - name: prod\n    pfs: [\"eth0\\x9b\"]\n")
        let ctl = try await control.attach("web1", ["--network", "prod"])
        #expect(ctl.status == 1 && ctl.stderr.contains("config.yaml:3: networks[0].pfs[0]: 'eth0\\u{9b}' contains a control character (U+009B)"),
                "\(ctl.stderr)")
        #expect(!hasRawControl(ctl.stderr))

        let missing = try Host(try HostFixtures.intel82576(), config: """
            networks:
              - name: prod
                pfs:
                  - eth0
                  - eth9
            """)
        // eth0 is found; eth9 is not: the error names the line of the eth9 entry.
        let pf = try await missing.attach("web1", ["--network", "prod"])
        #expect(pf.status == 1)
        #expect(pf.stderr.contains("config.yaml:5: networks[0].pfs[1]: network 'prod': PF 'eth9' is not on this host"), "\(pf.stderr)")
    }
}
