import Prometheus
public import SRIOVCore

/// `GET /metrics`: the API's own request counter (swift-prometheus) and the daemon's numbers
/// read from an ``AgentMetricsSource`` at each scrape, in Prometheus text format. Names and
/// labels: docs/metrics.md.
public final class AgentAPIMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let source: any AgentMetricsSource

    /// Metrics reading the daemon's numbers from `source`.
    public init(source: any AgentMetricsSource) {
        self.source = source
    }

    /// `sriovctl_api_requests_total`.
    private static var requests: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "sriovctl", metricName: "api_requests", unitName: "total",
                             helpText: "Requests to the agent's API by route and HTTP status.")
    }

    /// Counts one answered request (`sriovctl_api_requests_total{route,status}`).
    public func countRequest(route: String, status: Int) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))]).increment()
    }

    /// The exposition: the daemon's metrics, then the API's.
    public func exposition() async -> String {
        var text = AgentMetricsText.render(await source.metricsSnapshot())
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        text += String(decoding: bytes, as: UTF8.self)
        return text
    }
}

/// Writes an ``AgentMetricsSnapshot`` in the Prometheus text format (version 0.0.4).
public enum AgentMetricsText {
    /// The text of `snapshot`; every family has its HELP and TYPE lines, even when empty.
    public static func render(_ snapshot: AgentMetricsSnapshot) -> String {
        var out = ""
        func family(_ name: String, _ type: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func sample(_ name: String, _ labels: [(String, String)], _ value: String) {
            let rendered = labels.isEmpty ? "" : "{" + labels.map { "\($0.0)=\"\(escaped($0.1))\"" }.joined(separator: ",") + "}"
            out += "\(name)\(rendered) \(value)\n"
        }
        family("sriovctl_vfs", "gauge", "VFs per PF by state (assigned, free, stale, drifted) at the last pass.")
        for pf in snapshot.vfStates.sorted(by: { $0.pf < $1.pf }) {
            for (state, count) in [("assigned", pf.assigned), ("free", pf.free), ("stale", pf.stale), ("drifted", pf.drifted)] {
                sample("sriovctl_vfs", [("pf", pf.pf), ("state", state)], String(count))
            }
        }
        family("sriovctl_repairs_total", "counter", "VF fields the agent repaired, by PF and field.")
        for repair in snapshot.repairs.sorted(by: { ($0.pf, $0.field) < ($1.pf, $1.field) }) {
            sample("sriovctl_repairs_total", [("pf", repair.pf), ("field", repair.field)], String(repair.count))
        }
        family("sriovctl_flap_give_ups_total", "counter",
               "Times the flap guard gave up on a VF someone else keeps changing, by PF and VF.")
        for (vf, count) in snapshot.flapGiveUps.sorted(by: { $0.key < $1.key }) {
            sample("sriovctl_flap_give_ups_total", [("pf", vf.pf), ("vf", String(vf.vf))], String(count))
        }
        family("sriovctl_flap_left_alone", "gauge", "VFs the flap guard leaves alone now (1 each), by PF and VF.")
        for vf in snapshot.vfsLeftAlone.sorted() {
            sample("sriovctl_flap_left_alone", [("pf", vf.pf), ("vf", String(vf.vf))], "1")
        }
        let durations = snapshot.passDurations
        family("sriovctl_pass_duration_seconds", "histogram", "How long the agent's passes took.")
        for (bound, count) in zip(durations.upperBounds, durations.cumulativeCounts) {
            sample("sriovctl_pass_duration_seconds_bucket", [("le", number(bound))], String(count))
        }
        sample("sriovctl_pass_duration_seconds_bucket", [("le", "+Inf")], String(durations.count))
        sample("sriovctl_pass_duration_seconds_sum", [], number(durations.sum))
        sample("sriovctl_pass_duration_seconds_count", [], String(durations.count))
        family("sriovctl_passes_total", "counter", "Passes by what started them (event, timer, api, startup, reload).")
        for trigger in AgentPassTrigger.allCases {
            sample("sriovctl_passes_total", [("trigger", trigger.rawValue)], String(snapshot.passesByTrigger[trigger] ?? 0))
        }
        family("sriovctl_last_successful_pass_timestamp_seconds", "gauge",
               "When the last pass without error ended (Unix time); 0 before the first.")
        sample("sriovctl_last_successful_pass_timestamp_seconds", [], number(snapshot.lastSuccessfulPass ?? 0))
        family("sriovctl_netlink_errors_total", "counter", "Netlink requests and events that failed.")
        sample("sriovctl_netlink_errors_total", [], String(snapshot.netlinkErrors))
        family("sriovctl_leases", "gauge", "Leases (attached and free) per network.")
        for (network, count) in snapshot.leasesPerNetwork.sorted(by: { $0.key < $1.key }) {
            sample("sriovctl_leases", [("network", network)], String(count))
        }
        family("sriovctl_mac_pool_free", "gauge", "MACs of mac_pool no lease or quarantine holds.")
        sample("sriovctl_mac_pool_free", [], String(snapshot.freeMACsInPool))
        return out
    }

    /// A label value with `\`, `"` and line feeds escaped.
    static func escaped(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    /// A float as Prometheus reads it: integers without a fraction.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
