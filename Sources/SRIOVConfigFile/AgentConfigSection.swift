import SRIOVCore

/// The `agent:` section of config.yaml (docs/agent.md), with the local API's settings in
/// `api:` (docs/agent-api.yaml; the top-level `agent_api:` of earlier versions still loads,
/// with a deprecation note):
///
/// ```yaml
/// agent:
///   full_pass_interval: 60        # seconds between full passes (safety net), 1-86400
///   settle_ms: 300                # quiet time after a PF's last event before its pass, 0-60000
///   max_delay_ms: 5000            # longest a stream of events delays a pass, 0-600000
///   vf_count_check_ms: 2000       # how often sriov_numvfs is read for changes without events, 0 (off)-600000
///   repair_running_guests: true   # repair VFs of running guests (the database is the intent)
///   flap_guard:
///     max_repairs: 5              # more repairs of one VF than this ...
///     window: 60                  # ... within this many seconds: leave it alone
///     hold_off: 300               # seconds before trying such a VF again
///   api:
///     socket: /run/sriovctl/agent.sock   # the unix socket (absolute path under 100 bytes)
///     group: sriovctl             # the group that may connect (the socket is 0660)
///     metrics_listen: 127.0.0.1:9468     # a TCP listener serving only GET /metrics
/// ```
extension ConfigFileLoader {
    static let fullPassInterval = NumberField(noun: "full pass interval", range: 1...86_400, unit: "s")
    static let settle = NumberField(noun: "settle time", range: 0...60_000, unit: "ms")
    static let maxDelay = NumberField(noun: "maximum delay", range: 0...600_000, unit: "ms")
    static let vfCountCheck = NumberField(noun: "VF count check interval", range: 0...600_000, unit: "ms")
    static let flapRepairs = NumberField(noun: "flap guard repairs", range: 1...10_000)
    static let flapWindow = NumberField(noun: "flap guard window", range: 1...86_400, unit: "s")
    static let flapHoldOff = NumberField(noun: "flap guard hold-off", range: 0...604_800, unit: "s")

    /// The pacing of the agent, and its `api:` subsection when present.
    static func agentSection(_ node: ConfigNode) throws(SRIOVError) -> (AgentSettings, AgentAPISettings?) {
        let fields = try node.mapping(allowed: ["full_pass_interval", "settle_ms", "max_delay_ms",
                                                "vf_count_check_ms", "repair_running_guests", "flap_guard", "api"])
        var settings = AgentSettings()
        if let value = fields["full_pass_interval"] {
            settings.fullPassIntervalMilliseconds = try value.number(fullPassInterval) * 1000
        }
        if let value = fields["settle_ms"] { settings.settleMilliseconds = try value.number(settle) }
        if let value = fields["max_delay_ms"] { settings.maxDelayMilliseconds = try value.number(maxDelay) }
        if settings.maxDelayMilliseconds < settings.settleMilliseconds, let value = fields["max_delay_ms"] ?? fields["settle_ms"] {
            throw value.error("max_delay_ms (\(settings.maxDelayMilliseconds)) must not be below settle_ms "
                              + "(\(settings.settleMilliseconds))")
        }
        if let value = fields["vf_count_check_ms"] { settings.vfCountCheckMilliseconds = try value.number(vfCountCheck) }
        if let value = fields["repair_running_guests"] { settings.repairRunningGuests = try value.bool() }
        if let flap = fields["flap_guard"] {
            let guardFields = try flap.mapping(allowed: ["max_repairs", "window", "hold_off"])
            if let value = guardFields["max_repairs"] { settings.flapMaxRepairs = try value.number(flapRepairs) }
            if let value = guardFields["window"] { settings.flapWindowMilliseconds = try value.number(flapWindow) * 1000 }
            if let value = guardFields["hold_off"] { settings.flapHoldOffMilliseconds = try value.number(flapHoldOff) * 1000 }
        }
        return (settings, try fields["api"].map { (api) throws(SRIOVError) in try agentAPISettings(api) })
    }

    /// `agent.api:` (or the deprecated top-level `agent_api:`): where the local API listens.
    static func agentAPISettings(_ node: ConfigNode) throws(SRIOVError) -> AgentAPISettings {
        let fields = try node.mapping(allowed: ["socket", "group", "metrics_listen"])
        var settings = AgentAPISettings()
        if let socket = fields["socket"] {
            let path = try socket.string()
            guard path.hasPrefix("/"), !path.hasSuffix("/"), path.utf8.count < 100 else {
                throw socket.error("the agent socket must be an absolute file path under 100 bytes, found '\(TextRules.escaped(path))'")
            }
            settings.socket = path
        }
        if let group = fields["group"] {
            let name = try group.string()
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw group.error("group '\(TextRules.escaped(name))' is not a group name")
            }
            settings.group = name
        }
        if let listen = fields["metrics_listen"] {
            do {
                settings.metricsListen = try AgentMetricsListen(parsing: try listen.string())
            } catch {
                throw listen.error(error.message)
            }
        }
        return settings
    }
}

