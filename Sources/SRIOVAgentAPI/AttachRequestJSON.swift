public import SRIOVCore

/// The `POST /v1/attach` body: `attach`'s options as JSON (docs/agent-api.yaml).
///
/// `{"guest": "web1", "network": "prod", "mac": "02:…", "vlan": "100:3", "proto": "802.1Q",
/// "profile": "p", "trust": true, "spoofchk": true, "linkState": "auto", "minTxRate": 0,
/// "maxTxRate": 1000, "slot": 0, "uuid": "…", "format": "json", "apply": false, "live": false,
/// "config": false, "failover": false}`; only `guest` and `network` are required. The CLI writes it from the
/// request it parsed; the agent reads it back with the core's own checks, naming the field.
/// The VF settings use the one vocabulary's names (``VFField``); `proto` is the VLAN's protocol.
public enum AttachRequestJSON {
    /// The keys the body may have.
    public static let keys: Set<String> = Set(VFField.allCases.map(\.name))
        .union(["guest", "network", "uuid", "proto", "profile", "slot", "format", "apply", "live", "config", "failover", "move"])

    /// The body for `request`.
    public static func body(_ request: AttachRequest) -> [UInt8] {
        var object = JSONObjectWriter()
        object.string("guest", request.guest)
        object.string("network", request.network)
        object.string("uuid", request.uuid)
        object.string(VFField.mac.name, request.mac?.description)
        let settings = request.settings
        object.string(VFField.vlan.name, settings.vlan.map { $0.qos == 0 ? "\($0.id)" : "\($0.id):\($0.qos)" })
        object.string("proto", settings.vlan.map { $0.proto.rawValue })
        object.string("profile", request.virtualPort?.profileID)
        object.bool(VFField.trust.name, settings.trust)
        object.bool(VFField.spoofCheck.name, settings.spoofCheck)
        object.string(VFField.linkState.name, settings.linkState?.rawValue)
        object.integer(VFField.minTxRate.name, settings.minTxRate)
        object.integer(VFField.maxTxRate.name, settings.maxTxRate)
        object.integer("slot", request.slot)
        object.string("format", request.output.rawValue)
        if request.failover { object.bool("failover", true) }
        object.bool("apply", request.libvirt != nil)
        if request.move { object.bool("move", true) }
        if let scope = request.libvirt?.scope {
            object.bool("live", scope.contains(.live))
            object.bool("config", scope.contains(.config))
        }
        return object.bytes
    }

    /// The request in `bytes`, checked as `attach` checks its options; every refusal names the field.
    public static func request(from bytes: some Collection<UInt8>) throws(AgentRequestError) -> AttachRequest {
        let fields = try AgentRequestFields(bytes, allowed: keys)
        let guest = try fields.requiredString("guest")
        let network = try fields.requiredString("network")
        try checked("guest") { () throws(SRIOVError) in try GuestNameRules.validateGuestName(guest) }
        try checked("network") { () throws(SRIOVError) in try GuestNameRules.validateNetworkName(network) }
        let uuid = try fields.string("uuid")
        if let uuid { try checked("uuid") { () throws(SRIOVError) in _ = try GuestNameRules.normalizedUUID(uuid) } }
        var mac: MACAddress?
        if let text = try fields.string(VFField.mac.name) {
            guard let value = MACAddress(text) else {
                throw .badField("mac", "invalid-value", "'mac' \(quoted(text)) is not a MAC address (aa:bb:cc:dd:ee:ff)")
            }
            mac = value
        }
        let protoText = try fields.string("proto")
        var vlan: PortVLAN?
        if let text = try fields.string(VFField.vlan.name) {
            var proto = VLANProtocol.ieee8021Q
            if let protoText {
                guard let value = VLANProtocol(text: protoText) else {
                    throw .badField("proto", "invalid-value", "'proto' must be 802.1Q or 802.1ad")
                }
                proto = value
            }
            vlan = try checked("vlan") { () throws(SRIOVError) in try PortVLAN(validating: text, proto: proto) }
        } else if protoText != nil {
            throw .badField("proto", "invalid-value", "'proto' needs 'vlan'")
        }
        let profile = try fields.string("profile")
        if let profile {
            try checked("profile") { () throws(SRIOVError) in try GuestNameRules.validateProfileID(profile) }
            if vlan != nil {
                throw .badField("profile", "invalid-value",
                                "'vlan' and 'profile' cannot be combined: libvirt refuses <vlan> with <virtualport>")
            }
        }
        var linkState: VFLinkState?
        if let text = try fields.string(VFField.linkState.name) {
            guard let value = VFLinkState(rawValue: text) else {
                throw .badField("linkState", "invalid-value", "'linkState' must be auto, enable or disable")
            }
            linkState = value
        }
        let minRate = try number(fields, VFField.minTxRate.name, .minRate)
        let maxRate = try number(fields, VFField.maxTxRate.name, .maxRate)
        let slot = try number(fields, "slot", .slot) ?? 0
        var output = AttachOutputFormat.json
        if let text = try fields.string("format") {
            guard let value = AttachOutputFormat(rawValue: text) else {
                throw .badField("format", "invalid-value", "'format' must be libvirt, xl or json")
            }
            output = value
        }
        let apply = try fields.bool("apply") ?? false
        let live = try fields.bool("live") ?? false, persistent = try fields.bool("config") ?? false
        if (live || persistent) && !apply {
            throw .badField(live ? "live" : "config", "invalid-value", "'live' and 'config' need 'apply'")
        }
        var scope: DomainChangeScope?
        if live || persistent {
            scope = []
            if live { scope?.insert(.live) }
            if persistent { scope?.insert(.config) }
        }
        var request = AttachRequest(
            guest: guest, uuid: uuid, network: network, slot: slot,
            settings: VFSettings(mac: mac, vlan: vlan, spoofCheck: try fields.bool(VFField.spoofCheck.name), trust: try fields.bool(VFField.trust.name),
                                 linkState: linkState, minTxRate: minRate, maxTxRate: maxRate),
            virtualPort: profile.map(VirtualPort.init(profileID:)), output: output, libvirt: apply ? LibvirtApply(scope: scope) : nil)
        request.failover = try fields.bool("failover") ?? false
        request.move = try fields.bool("move") ?? false
        try checked(nil) { () throws(SRIOVError) in try request.validate() }
        return request
    }
}

/// Runs a core check, turning its error into a 400 naming `field`.
@discardableResult
func checked<T>(_ field: String?, _ body: () throws(SRIOVError) -> T) throws(AgentRequestError) -> T {
    do {
        return try body()
    } catch {
        throw AgentRequestError(status: 400, code: "invalid-value", field: field,
                                message: field.map { "'\($0)': \(error.message)" } ?? error.message)
    }
}

/// An integer field checked against the core's bounds for it.
func number(_ fields: AgentRequestFields, _ key: String, _ bounds: NumberField) throws(AgentRequestError) -> Int? {
    guard let value = try fields.integer(key) else { return nil }
    try checked(key) { () throws(SRIOVError) in try bounds.check(value) }
    return value
}

/// `'text'` with control characters escaped, for messages.
func quoted(_ text: String) -> String { "'\(TextRules.escaped(text))'" }
