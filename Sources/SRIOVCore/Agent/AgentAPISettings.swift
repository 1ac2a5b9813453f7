/// The config file's `agent.api:` section (config/config.example.yaml): where the agent's
/// local API listens. Every key is optional.
public struct AgentAPISettings: Hashable, Sendable, Codable {
    /// `socket`: the unix socket path (default `/run/sriovctl/agent.sock`).
    public var socket: String?
    /// `group`: the group allowed to connect (the socket is 0660), by name or number.
    public var group: String?
    /// `metrics_listen`: `host:port` for a TCP listener serving only `GET /metrics`.
    public var metricsListen: AgentMetricsListen?

    /// Creates settings.
    public init(socket: String? = nil, group: String? = nil, metricsListen: AgentMetricsListen? = nil) {
        self.socket = socket
        self.group = group
        self.metricsListen = metricsListen
    }
}

/// `host:port` of the metrics listener: an IPv4 literal, or an IPv6 literal in brackets.
public struct AgentMetricsListen: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The address to bind, without brackets.
    public var host: String
    /// The TCP port (0: any free port, for tests).
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `127.0.0.1:9468` or `[::1]:9468`; names the problem.
    public init(parsing text: String) throws(SRIOVError) {
        let hostPart: Substring, portPart: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw SRIOVError(.invalidValue, "metrics listen address '\(TextRules.escaped(text))' is not HOST:PORT") }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw SRIOVError(.invalidValue, "metrics listen address '\(TextRules.escaped(text))' is not HOST:PORT (e.g. 127.0.0.1:9468)")
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        let ipv4 = hostPart.split(separator: ".", omittingEmptySubsequences: false)
        let isIPv4 = ipv4.count == 4 && ipv4.allSatisfy { part in
            part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && (Int(part).map { $0 <= 255 } ?? false)
        }
        let isIPv6 = text.hasPrefix("[") && !hostPart.isEmpty && hostPart.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        guard isIPv4 || isIPv6 else {
            throw SRIOVError(.invalidValue, "metrics listen address '\(TextRules.escaped(text))': the host must be an IP address (e.g. 127.0.0.1)")
        }
        let port = try NumberField(noun: "metrics port", range: 0...65535).parse(portPart)
        self.init(host: String(hostPart), port: port)
    }

    /// `127.0.0.1:9468` or `[::1]:9468`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
