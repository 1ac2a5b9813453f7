import SRIOVAgentAPI
import SRIOVCore
import Testing

/// The attach body's one placement key (issue 16): `"failover"`, as `attach --failover`.
@Suite("agent API attach body: failover")
struct AttachRequestFailoverTests {
    @Test("the CLI's request with --failover travels as \"failover\": true and comes back the same")
    func roundTrip() throws {
        var request = AttachRequest(guest: "web1", network: "prod", output: .libvirt)
        request.failover = true
        let body = AttachRequestJSON.body(request)
        #expect(String(decoding: body, as: UTF8.self).contains(#""failover":true"#))
        let parsed = try AttachRequestJSON.request(from: body)
        #expect(parsed.failover && parsed.output == .libvirt)
        let plain = try AttachRequestJSON.request(from: Array(#"{"guest": "web1", "network": "prod"}"#.utf8))
        #expect(!plain.failover)
        #expect(!String(decoding: AttachRequestJSON.body(plain), as: UTF8.self).contains("failover"))
    }

    @Test("a failover that is not a boolean, or with the xl format, is refused naming the field")
    func refused() {
        #expect(throws: AgentRequestError.self) {
            try AttachRequestJSON.request(from: Array(#"{"guest": "web1", "network": "prod", "failover": "yes"}"#.utf8))
        }
        #expect(throws: AgentRequestError.self) {
            try AttachRequestJSON.request(from: Array(#"{"guest": "web1", "network": "prod", "failover": true, "format": "xl"}"#.utf8))
        }
    }
}
