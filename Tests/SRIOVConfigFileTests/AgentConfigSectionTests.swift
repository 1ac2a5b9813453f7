import SRIOVConfigFile
import SRIOVCore
import Testing

/// The `agent:` section of config.yaml (docs/agent.md).
@Suite("config file: agent section")
struct AgentConfigSectionTests {
    @Test("Without the section the documented defaults apply: full pass every 60 s, 5 repairs in 60 s, repair running guests")
    func defaults() throws {
        let config = try ConfigFileLoader.parse("version: 1\n", file: "test.yaml")
        #expect(config.agent == AgentSettings())
        #expect(config.agent.fullPassIntervalMilliseconds == 60_000)
        #expect(config.agent.flapMaxRepairs == 5 && config.agent.flapWindowMilliseconds == 60_000)
        #expect(config.agent.repairRunningGuests)
    }

    @Test("Every key is read, seconds and milliseconds as named")
    func everyKey() throws {
        let config = try ConfigFileLoader.parse("""
            version: 1
            agent:
              full_pass_interval: 30
              settle_ms: 100
              max_delay_ms: 2000
              vf_count_check_ms: 0
              repair_running_guests: false
              flap_guard: {max_repairs: 3, window: 10, hold_off: 120}
            """, file: "test.yaml")
        #expect(config.agent == AgentSettings(fullPassIntervalMilliseconds: 30_000, settleMilliseconds: 100,
                                              maxDelayMilliseconds: 2_000, flapMaxRepairs: 3, flapWindowMilliseconds: 10_000,
                                              flapHoldOffMilliseconds: 120_000, vfCountCheckMilliseconds: 0,
                                              repairRunningGuests: false))
    }

    @Test("Bad values name file, line and key", arguments: [
        ("agent:\n  full_pass_interval: soon\n", "test.yaml:2: agent.full_pass_interval: full pass interval 'soon' is not a plain decimal number"),
        ("agent:\n  full_pass_interval: 0\n", "test.yaml:2: agent.full_pass_interval: full pass interval 0 s is out of range (1-86400 s)"),
        ("agent:\n  flap_guard:\n    max_repairs: 0\n", "test.yaml:3: agent.flap_guard.max_repairs: flap guard repairs 0 is out of range"),
        ("agent:\n  flap_guard:\n    windows: 3\n", "test.yaml:3: agent.flap_guard.windows: unknown key 'windows'"),
        ("agent:\n  settle_ms: 900\n  max_delay_ms: 800\n", "test.yaml:3: agent.max_delay_ms: max_delay_ms (800) must not be below settle_ms (900)"),
        ("agent:\n  repair_running_guests: maybe\n", "test.yaml:2: agent.repair_running_guests: expected true or false, found 'maybe'"),
    ])
    func badValues(text: String, expected: String) {
        let got = ConfigText.refusal(text) ?? "(loaded)"
        #expect(got.hasPrefix(expected), "\(got)")
    }
}
