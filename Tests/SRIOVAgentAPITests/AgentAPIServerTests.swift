import AsyncHTTPClient
import NIOHTTP1
import Foundation
import Glibc
import SRIOVAgentAPI
import SRIOVCore
import Testing

/// The local API over its unix socket with a real HTTP client: every endpoint, every kind of
/// bad request (refused with the field named, and nothing reached the host), metrics.
@Suite("agent API on its unix socket")
struct AgentAPIServerTests {
    static let attachBody = #"{"guest": "web1", "network": "prod", "trust": true, "slot": 2}"#

    @Test("health answers ok and what the agent works on")
    func health() async throws {
        let agent = try await RunningAgentAPI()
        defer { Task { await agent.stop() } }
        let answer = try await agent.request(.GET, "/v1/health")
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"] == "application/json")
        let json = try answer.json()
        #expect(json["status"] as? String == "ok" && json["database"] as? String == "/var/lib/sriovctl/state.db")
        await agent.stop()
    }

    @Test("attach answers the attach --format json object and parsed the body's fields")
    func attach() async throws {
        let agent = try await RunningAgentAPI()
        let answer = try await agent.request(.POST, "/v1/attach", body: Self.attachBody)
        #expect(answer.status == 200, "\(answer.text)")
        let json = try answer.json()
        #expect(json["schemaVersion"] as? Int == 1 && json["guest"] as? String == "web1" && json["slot"] as? Int == 2)
        #expect((json["pf"] as? [String: Any])?["netdev"] as? String == "eth0")
        #expect(agent.operations.called == ["attach web1 prod slot 2 trust true"])
        await agent.stop()
    }

    @Test("detach, leases, audit, a PF's VFs and their bulk apply answer the CLI's JSON shapes")
    func otherEndpoints() async throws {
        let agent = try await RunningAgentAPI()
        let detach = try await agent.request(.POST, "/v1/detach", body: #"{"guest": "web1", "network": "prod"}"#)
        #expect(try detach.status == 200 && (detach.json())["leaseKept"] as? Bool == true, "\(detach.text)")
        let leases = try await agent.request(.GET, "/v1/leases")
        #expect(try leases.status == 200 && (leases.json())["leases"] is [Any], "\(leases.text)")
        let audit = try await agent.request(.GET, "/v1/audit")
        #expect(try audit.status == 200 && (audit.json())["summary"] != nil, "\(audit.text)")
        let fix = try await agent.request(.POST, "/v1/audit/fix", body: #"{"vfs": ["eth0:3"]}"#)
        #expect(try fix.status == 200 && (fix.json())["repairs"] as? [String] == ["eth0:3: reset (stale) done"], "\(fix.text)")
        let show = try await agent.request(.GET, "/v1/pfs/eth0/vfs")
        #expect(try show.status == 200 && (show.json())["numVFs"] as? Int == 1, "\(show.text)")
        let missing = try await agent.request(.GET, "/v1/pfs/eth9/vfs")
        #expect(try missing.status == 404 && (missing.error())["code"] as? String == "notFound")
        let apply = try await agent.request(.POST, "/v1/pfs/eth0/vfs", body: #"{"vfs": [{"vf": 0, "mac": "02:00:00:00:00:01"}]}"#)
        #expect(try apply.status == 200 && (apply.json())["requests"] as? Int == 1, "\(apply.text)")
        #expect(agent.operations.called.last == #"apply eth0 {"mac":"02:00:00:00:00:01","vf":0}"#)
        // Each object reaches vf apply's reader as one line that means what the body said:
        // keys sorted, strings escaped, numbers, booleans and null as written.
        let body = #"{"vfs": [{"vf": 0, "trust": true, "vlan": null, "mac": "a\"b\\c\u00e9\n\u0001"}, {"vf": 1, "vlan": 7, "qos": 2.5}]}"#
        let lines = try await agent.request(.POST, "/v1/pfs/eth0/vfs", body: body)
        #expect(lines.status == 200, "\(lines.text)")
        #expect(agent.operations.called.last == #"apply eth0 {"mac":"a\"b\\cé\n\u0001","trust":true,"vf":0,"vlan":null}"#
                + "\n" + #"{"qos":2.5,"vf":1,"vlan":7}"#)
        await agent.stop()
    }

    @Test("a bad request is refused with a JSON error naming the field, and reaches nothing", arguments: [
        ("POST", "/v1/attach", #"{"guest": "web1", "network": "#, 400, "body", "malformed-json"),
        ("POST", "/v1/attach", #"{"guest": "web1", "network": "prod", "colour": "blue"}"#, 400, "colour", "unknown-field"),
        ("POST", "/v1/attach", #"{"guest": "web1", "network": "prod", "trust": "yes"}"#, 400, "trust", "wrong-type"),
        ("POST", "/v1/attach", #"{"guest": "web1", "network": "prod", "slot": "2"}"#, 400, "slot", "wrong-type"),
        ("POST", "/v1/attach", #"{"guest": "web1", "network": "prod", "slot": 70000}"#, 400, "slot", "invalid-value"),
        ("POST", "/v1/attach", #"{"network": "prod"}"#, 400, "guest", "missing-field"),
        ("POST", "/v1/attach", #"{"guest": "web1", "network": "prod", "mac": "01:00:5e:00:00:01x"}"#, 400, "mac", "invalid-value"),
        ("POST", "/v1/attach", #"{"guest": "web'1", "network": "prod"}"#, 400, "guest", "invalid-value"),
        ("POST", "/v1/attach", #"["web1"]"#, 400, "body", "wrong-type"),
        ("POST", "/v1/detach", #"{"guest": "web1"}"#, 400, "network", "missing-field"),
        ("POST", "/v1/audit/fix", #"{"vfs": ["eth0:3", 4]}"#, 400, "vfs[1]", "wrong-type"),
        ("POST", "/v1/audit/fix", #"{"vfs": ["eth0"]}"#, 400, "vfs[0]", "invalid-value"),
        ("POST", "/v1/audit/fix", #"{"dryRun": 1}"#, 400, "dryRun", "wrong-type"),
        ("POST", "/v1/pfs/eth0/vfs", #"{"vfs": {"vf": 0}}"#, 400, "vfs", "wrong-type"),
        ("POST", "/v1/pfs/eth0/vfs", #"{"vfs": [3]}"#, 400, "vfs[0]", "wrong-type"),
        ("GET", "/v1/attach", nil, 405, "method", "method-not-allowed"),
        ("DELETE", "/v1/leases", nil, 405, "method", "method-not-allowed"),
        ("PUT", "/v1/pfs/eth0/vfs", nil, 405, "method", "method-not-allowed"),
        ("POST", "/metrics", nil, 405, "method", "method-not-allowed"),
        ("GET", "/v1/nothing", nil, 404, "path", "not-found"),
    ] as [(String, String, String?, Int, String, String)])
    func refused(method: String, path: String, body: String?, status: Int, field: String, code: String) async throws {
        let agent = try await RunningAgentAPI()
        let answer = try await agent.request(HTTPMethod(rawValue: method), path, body: body)
        #expect(answer.status == status, "\(answer.text)")
        let error = try answer.error()
        #expect(error["field"] as? String == field && error["code"] as? String == code, "\(answer.text)")
        #expect(agent.operations.called.isEmpty)
        if status == 405 { #expect(answer.headers["allow"] != nil) }
        await agent.stop()
    }

    @Test("a body over 64 KiB is refused with 413 and nothing changes")
    func bodyTooLarge() async throws {
        let agent = try await RunningAgentAPI()
        let big = #"{"guest": "web1", "network": "prod", "uuid": ""# + String(repeating: "a", count: 70_000) + #""}"#
        let answer = try await agent.request(.POST, "/v1/attach", body: big)
        #expect(answer.status == 413)
        #expect(try answer.error()["field"] as? String == "body")
        #expect(agent.operations.called.isEmpty)
        await agent.stop()
    }

    @Test("a request meant for another database is refused with 409 naming the header")
    func otherFiles() async throws {
        let agent = try await RunningAgentAPI()
        let answer = try await agent.request(.POST, "/v1/attach", body: Self.attachBody,
                                             headers: [(AgentContextHeader.database, "/tmp/other.db")])
        #expect(try answer.status == 409 && (answer.error())["field"] as? String == AgentContextHeader.database)
        #expect(agent.operations.called.isEmpty)
        await agent.stop()
    }

    @Test("an operation's own error comes back with its status and message")
    func operationError() async throws {
        let agent = try await RunningAgentAPI(operations: FakeAgentOperations(
            failAttachWith: SRIOVError(.exhausted, "network prod: no free VF")))
        let answer = try await agent.request(.POST, "/v1/attach", body: Self.attachBody)
        #expect(answer.status == 409)
        #expect(try answer.error()["message"] as? String == "network prod: no free VF")
        await agent.stop()
    }

    @Test("GET /metrics writes the daemon's numbers and counts API requests by route and status")
    func metrics() async throws {
        var durations = AgentPassDurations()
        durations.record(seconds: 0.02)
        durations.record(seconds: 120)
        let snapshot = AgentMetricsSnapshot(
            vfStates: [.init(pf: "eth0", assigned: 3, free: 4, stale: 1, drifted: 0)],
            repairs: [.init(pf: "eth0", field: "mac", count: 2)], passDurations: durations,
            passesByTrigger: [.event: 5, .timer: 1], lastSuccessfulPass: 1_790_000_000, netlinkErrors: 1,
            leasesPerNetwork: ["prod": 3], freeMACsInPool: 65533,
            flapGiveUps: [.init(pf: "netdevsim24", vf: 1): 2], vfsLeftAlone: [.init(pf: "netdevsim24", vf: 1)])
        let agent = try await RunningAgentAPI(metrics: snapshot)
        _ = try await agent.request(.GET, "/v1/leases")
        _ = try await agent.request(.GET, "/v1/attach")
        let answer = try await agent.request(.GET, "/metrics")
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        for line in [#"sriovctl_vfs{pf="eth0",state="assigned"} 3"#, #"sriovctl_vfs{pf="eth0",state="stale"} 1"#,
                     #"sriovctl_repairs_total{pf="eth0",field="mac"} 2"#,
                     #"sriovctl_pass_duration_seconds_bucket{le="0.025"} 1"#,
                     #"sriovctl_pass_duration_seconds_bucket{le="+Inf"} 2"#, "sriovctl_pass_duration_seconds_count 2",
                     #"sriovctl_passes_total{trigger="event"} 5"#, #"sriovctl_passes_total{trigger="api"} 0"#,
                     "sriovctl_last_successful_pass_timestamp_seconds 1790000000", "sriovctl_netlink_errors_total 1",
                     #"sriovctl_leases{network="prod"} 3"#, "sriovctl_mac_pool_free 65533",
                     #"sriovctl_flap_give_ups_total{pf="netdevsim24",vf="1"} 2"#,
                     #"sriovctl_flap_left_alone{pf="netdevsim24",vf="1"} 1"#,
                     #"sriovctl_api_requests_total{route="/v1/leases",status="200"} 1"#,
                     #"sriovctl_api_requests_total{route="/v1/attach",status="405"} 1"#] {
            #expect(answer.text.contains(line + "\n"), "missing \(line) in\n\(answer.text)")
        }
        await agent.stop()
    }

    @Test("the TCP metrics listener serves GET /metrics and nothing else")
    func metricsListener() async throws {
        let agent = try await RunningAgentAPI(metricsListen: AgentMetricsListen(host: "127.0.0.1", port: 0))
        let port = try #require(agent.endpoints?.metricsPort)
        let metrics = try await RunningAgentAPI.request(.GET, "http://127.0.0.1:\(port)/metrics")
        #expect(metrics.status == 200 && metrics.text.contains("# TYPE sriovctl_vfs gauge"))
        for (method, path) in [(HTTPMethod.POST, "/v1/attach"), (.GET, "/v1/leases"), (.GET, "/v1/health")] {
            let refused = try await RunningAgentAPI.request(method, "http://127.0.0.1:\(port)\(path)",
                                                            body: method == .POST ? Array(Self.attachBody.utf8) : nil)
            #expect(refused.status == 404, "\(path): \(refused.text)")
        }
        #expect(agent.operations.called.isEmpty)
        await agent.stop()
    }
}
