public import SRIOVCore

/// The `POST /v1/detach` body: `detach`'s options as JSON (docs/agent-api.yaml).
///
/// `{"guest": "web1", "network": "prod", "mac": "02:…", "slot": 0, "forget": false,
/// "reset": false, "apply": false, "live": false, "config": false}`; `guest` and one of
/// `network` or `mac` are required.
public enum DetachRequestJSON {
    /// The keys the body may have.
    public static let keys: Set<String> = ["guest", "network", "mac", "slot", "forget", "reset", "apply", "live", "config"]

    /// The body for `request`.
    public static func body(_ request: DetachRequest) -> [UInt8] {
        var object = JSONObjectWriter()
        object.string("guest", request.guest)
        object.string("network", request.network)
        object.string("mac", request.mac?.description)
        object.integer("slot", request.slot)
        object.bool("forget", request.forget)
        object.bool("reset", request.reset)
        object.bool("apply", request.libvirt != nil)
        if let scope = request.libvirt?.scope {
            object.bool("live", scope.contains(.live))
            object.bool("config", scope.contains(.config))
        }
        return object.bytes
    }

    /// The request in `bytes`; every refusal names the field.
    public static func request(from bytes: some Collection<UInt8>) throws(AgentRequestError) -> DetachRequest {
        let fields = try AgentRequestFields(bytes, allowed: keys)
        let guest = try fields.requiredString("guest")
        try checked("guest") { () throws(SRIOVError) in try GuestNameRules.validateGuestName(guest) }
        let network = try fields.string("network")
        if let network { try checked("network") { () throws(SRIOVError) in try GuestNameRules.validateNetworkName(network) } }
        var mac: MACAddress?
        if let text = try fields.string("mac") {
            guard let value = MACAddress(text) else {
                throw .badField("mac", "invalid-value", "'mac' \(quoted(text)) is not a MAC address (aa:bb:cc:dd:ee:ff)")
            }
            mac = value
        }
        if network == nil && mac == nil {
            throw .badField("network", "missing-field", "name the lease with 'network' or 'mac'")
        }
        let slot = try number(fields, "slot", .slot) ?? 0
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
        let request = DetachRequest(guest: guest, network: network, slot: slot, mac: mac,
                                    forget: try fields.bool("forget") ?? false, reset: try fields.bool("reset") ?? false,
                                    libvirt: apply ? LibvirtApply(scope: scope) : nil)
        try checked(nil) { () throws(SRIOVError) in try request.validate() }
        return request
    }
}
