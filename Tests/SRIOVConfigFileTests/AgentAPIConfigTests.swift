import SRIOVConfigFile
import SRIOVCore
import Testing

/// The config's `agent_api:` section: where the agent's local API listens.
@Suite("config file: agent_api")
struct AgentAPIConfigTests {
    func message(_ text: String) -> String? {
        do {
            _ = try ConfigFileLoader.parse(text, file: "test.yaml")
            return nil
        } catch {
            return error.message
        }
    }

    @Test("socket, group and metrics_listen are read; all are optional")
    func reads() throws {
        let config = try ConfigFileLoader.parse("""
            agent_api:
              socket: /run/sriovctl/api.sock
              group: sriovctl
              metrics_listen: "[::1]:9468"
            """, file: "test.yaml")
        #expect(config.agentAPI == AgentAPISettings(socket: "/run/sriovctl/api.sock", group: "sriovctl",
                                                    metricsListen: AgentMetricsListen(host: "::1", port: 9468)))
        #expect(try ConfigFileLoader.parse("agent_api: {}", file: "test.yaml").agentAPI == AgentAPISettings())
        #expect(try ConfigFileLoader.parse("agent_api: { metrics_listen: 127.0.0.1:9468 }", file: "test.yaml")
            .agentAPI.metricsListen?.description == "127.0.0.1:9468")
    }

    @Test("a bad value names the file, line and key", arguments: [
        ("agent_api:\n  socket: run/agent.sock\n", "test.yaml:2"),
        ("agent_api:\n  group: \"a b\"\n", "test.yaml:2"),
        ("agent_api:\n  metrics_listen: localhost:9468\n", "test.yaml:2"),
        ("agent_api:\n  metrics_listen: 127.0.0.1:99999\n", "test.yaml:2"),
        ("agent_api:\n  sockets: /run/x\n", "sockets"),
    ])
    func refused(text: String, place: String) throws {
        let text = try #require(message(text), "accepted: \(text)")
        #expect(text.contains(place), "\(text)")
    }
}
