import SRIOVConfigFile
import SRIOVCore
import Testing

/// The config's `agent.api:` subsection: where the agent's local API listens; and the
/// top-level `agent_api:` of earlier versions, which still loads with a deprecation note.
@Suite("config file: agent.api (and the deprecated agent_api)")
struct AgentAPIConfigTests {
    static let expected = AgentAPISettings(socket: "/run/sriovctl/api.sock", group: "sriovctl",
                                           metricsListen: AgentMetricsListen(host: "::1", port: 9468))

    @Test("socket, group and metrics_listen are read under agent: api:; all are optional; no note")
    func reads() throws {
        let loaded = ConfigText.load("""
            agent:
              settle_ms: 100
              api:
                socket: /run/sriovctl/api.sock
                group: sriovctl
                metrics_listen: "[::1]:9468"
            """)
        #expect(loaded.config?.agentAPI == Self.expected, "\(loaded.refusal ?? "")")
        #expect(loaded.config?.agent.settleMilliseconds == 100)
        #expect(loaded.deprecations.isEmpty)
        #expect(ConfigText.load("agent: { api: {} }").config?.agentAPI == AgentAPISettings())
        #expect(ConfigText.load("agent: { api: { metrics_listen: 127.0.0.1:9468 } }").config?
            .agentAPI.metricsListen?.description == "127.0.0.1:9468")
    }

    @Test("the old top-level agent_api: still works, with a note naming the file and line and the new place")
    func oldSpelling() throws {
        let loaded = ConfigText.load("""
            version: 1
            agent_api:
              socket: /run/sriovctl/api.sock
              group: sriovctl
              metrics_listen: "[::1]:9468"
            """)
        #expect(loaded.config?.agentAPI == Self.expected, "\(loaded.refusal ?? "")")
        #expect(loaded.deprecations.count == 1)
        #expect(loaded.deprecations.first?.hasPrefix("test.yaml:3: agent_api: is deprecated; move its keys under agent: as api:") == true,
                "\(loaded.deprecations)")
    }

    @Test("both spellings in one file: refused, naming the old one")
    func both() throws {
        let message = try #require(ConfigText.refusal("agent:\n  api:\n    group: a\nagent_api:\n  group: b\n"))
        #expect(message.hasPrefix("test.yaml:5: agent_api: the old spelling of agent.api, which this file also has"), "\(message)")
    }

    @Test("a bad value names the file, line and key, in either spelling", arguments: [
        ("agent:\n  api:\n    socket: run/agent.sock\n", "test.yaml:3: agent.api.socket:"),
        ("agent:\n  api:\n    group: \"a b\"\n", "test.yaml:3: agent.api.group:"),
        ("agent:\n  api:\n    metrics_listen: localhost:9468\n", "test.yaml:3: agent.api.metrics_listen:"),
        ("agent:\n  api:\n    metrics_listen: 127.0.0.1:99999\n", "test.yaml:3: agent.api.metrics_listen:"),
        ("agent:\n  api:\n    sockets: /run/x\n", "agent.api.sockets"),
        ("agent:\n  api: /run/x\n", "test.yaml:2: agent.api: expected a mapping"),
        ("agent_api:\n  socket: run/agent.sock\n", "test.yaml:2: agent_api.socket:"),
        ("agent_api:\n  sockets: /run/x\n", "agent_api.sockets"),
    ])
    func refused(text: String, place: String) throws {
        let message = try #require(ConfigText.refusal(text), "accepted: \(text)")
        #expect(message.contains(place), "\(message)")
    }
}
