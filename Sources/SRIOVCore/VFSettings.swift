/// Desired settings for one VF. `nil` fields are left as they are.
///
/// This is what `vf set`, attachment, provisioning and repairs hand to the
/// netlink adapter. ``validate(vfIndex:pf:)`` checks every value before anything
/// is sent to the kernel.
public struct VFSettings: Hashable, Sendable, Codable {
    /// Administrative MAC. Unicast only; the zero MAC means "clear".
    public var mac: MACAddress?
    /// Port VLAN with QoS and protocol.
    public var vlan: PortVLAN?
    /// Anti-spoof checking.
    public var spoofCheck: Bool?
    /// Trusted mode.
    public var trust: Bool?
    /// Administrative link state.
    public var linkState: VFLinkState?
    /// Minimum TX rate in Mbps (0: none).
    public var minTxRate: Int?
    /// Maximum TX rate in Mbps (0: unlimited).
    public var maxTxRate: Int?

    /// Creates settings; every field defaults to "leave as is".
    public init(mac: MACAddress? = nil, vlan: PortVLAN? = nil, spoofCheck: Bool? = nil, trust: Bool? = nil,
                linkState: VFLinkState? = nil, minTxRate: Int? = nil, maxTxRate: Int? = nil) {
        self.mac = mac
        self.vlan = vlan
        self.spoofCheck = spoofCheck
        self.trust = trust
        self.linkState = linkState
        self.minTxRate = minTxRate
        self.maxTxRate = maxTxRate
    }

    /// What a free VF is reset to: zero MAC, no VLAN, trust off, spoof check on, link auto.
    public static let reset = VFSettings(mac: .zero, vlan: PortVLAN.none, spoofCheck: true, trust: false,
                                         linkState: .auto)

    /// True when nothing is to be changed.
    public var isEmpty: Bool { self == VFSettings() }

    /// Fields of `other` override these.
    public func merging(_ other: VFSettings) -> VFSettings {
        VFSettings(mac: other.mac ?? mac, vlan: other.vlan ?? vlan, spoofCheck: other.spoofCheck ?? spoofCheck,
                   trust: other.trust ?? trust, linkState: other.linkState ?? linkState,
                   minTxRate: other.minTxRate ?? minTxRate, maxTxRate: other.maxTxRate ?? maxTxRate)
    }

    /// Checks every value before anything is sent; throws an ``SRIOVError`` naming the
    /// PF, VF and value. Rejects multicast/broadcast MACs, VLAN outside 0...4095, QoS outside
    /// 0...7, 802.1ad with VLAN 0, negative rates or rates above 4294967295 Mbps (the kernel's
    /// u32), and min rate above a non-zero max rate.
    public func validate(vfIndex: Int, pf: String) throws(SRIOVError) {
        let at = "\(pf) VF \(vfIndex)"
        if let mac {
            if mac.isBroadcast {
                throw SRIOVError(.invalidValue, "\(at): MAC \(mac) is the broadcast address; a VF needs a unicast MAC")
            }
            if mac.isMulticast {
                throw SRIOVError(.invalidValue, "\(at): MAC \(mac) is multicast (first octet is odd); a VF needs a unicast MAC")
            }
        }
        if let vlan {
            if !(0...4095).contains(vlan.id) {
                throw SRIOVError(.invalidValue, "\(at): VLAN \(vlan.id) is out of range (0-4095)")
            }
            if !(0...7).contains(vlan.qos) {
                throw SRIOVError(.invalidValue, "\(at): VLAN QoS \(vlan.qos) is out of range (0-7)")
            }
            if vlan.proto == .ieee8021AD && vlan.id == 0 {
                throw SRIOVError(.invalidValue, "\(at): 802.1ad needs a VLAN id (VLAN 0 cannot be an 802.1ad tag)")
            }
        }
        if let minTxRate, minTxRate < 0 {
            throw SRIOVError(.invalidValue, "\(at): minimum rate \(minTxRate) Mbps is negative")
        }
        if let maxTxRate, maxTxRate < 0 {
            throw SRIOVError(.invalidValue, "\(at): maximum rate \(maxTxRate) Mbps is negative")
        }
        do {
            if let minTxRate { try NumberField.minRate.check(minTxRate) }
            if let maxTxRate { try NumberField.maxRate.check(maxTxRate) }
        } catch {
            throw SRIOVError("\(at): \(error.message)", causedBy: error)
        }
        if let minTxRate, let maxTxRate, maxTxRate != 0, minTxRate > maxTxRate {
            throw SRIOVError(.invalidValue,
                             "\(at): minimum rate \(minTxRate) Mbps is above maximum rate \(maxTxRate) Mbps")
        }
    }

    /// The fields of this setting that `state` does not already have, or `nil` when it matches.
    public func difference(from state: VFState) -> VFSettings? {
        var diff = VFSettings()
        if let mac, mac != state.mac { diff.mac = mac }
        if let vlan, vlan != state.vlan { diff.vlan = vlan }
        if let spoofCheck, spoofCheck != state.spoofCheck { diff.spoofCheck = spoofCheck }
        if let trust, trust != state.trust { diff.trust = trust }
        if let linkState, linkState != state.linkState { diff.linkState = linkState }
        if let minTxRate, minTxRate != (state.minTxRate ?? 0) { diff.minTxRate = minTxRate }
        if let maxTxRate, maxTxRate != (state.maxTxRate ?? 0) { diff.maxTxRate = maxTxRate }
        return diff.isEmpty ? nil : diff
    }

    /// True when `field` is set (not left as it is).
    public func has(_ field: VFField) -> Bool {
        switch field {
        case .mac: mac != nil
        case .vlan: vlan != nil
        case .spoofCheck: spoofCheck != nil
        case .trust: trust != nil
        case .linkState: linkState != nil
        case .minTxRate: minTxRate != nil
        case .maxTxRate: maxTxRate != nil
        }
    }

    /// These settings with `field` left as it is (`nil`).
    public func removing(_ field: VFField) -> VFSettings {
        var copy = self
        switch field {
        case .mac: copy.mac = nil
        case .vlan: copy.vlan = nil
        case .spoofCheck: copy.spoofCheck = nil
        case .trust: copy.trust = nil
        case .linkState: copy.linkState = nil
        case .minTxRate: copy.minTxRate = nil
        case .maxTxRate: copy.maxTxRate = nil
        }
        return copy
    }

    /// The fields that are set, in ``VFField`` order.
    public var fields: [VFField] { VFField.allCases.filter(has) }

    /// The names of the fields that are set (``VFField/name``): `mac`, `vlan`, `spoofchk`,
    /// `trust`, `linkState`, `minTxRate`, `maxTxRate`.
    public var fieldNames: [String] { fields.map(\.name) }

    /// These settings with only the fields set in `other` kept.
    public func onlyFields(of other: VFSettings) -> VFSettings {
        VFField.allCases.reduce(self) { other.has($1) ? $0 : $0.removing($1) }
    }
}
