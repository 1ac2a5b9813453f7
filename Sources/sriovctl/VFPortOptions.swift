import ArgumentParser
import SRIOVCore
import SRIOVFrontEnd

/// The one option block for a VF's seven settings (``VFField``), shared by `vf set` and
/// `attach`: `--mac`, `--vlan` with `--qos` and `--proto`, `--trust`, `--spoofchk`,
/// `--link-state`, `--min-rate`, `--max-rate`. ``settings(place:)`` turns them into
/// ``VFSettings``.
///
/// The switches are parsed by ArgumentParser, so a bad one is a usage error (exit 64) naming
/// the option and the accepted values. Numbers are text read with the core's bounded number
/// parser (``NumberOption``): plain decimal digits within the field's range. `--vlan ID:QOS`
/// (attach's old spelling) still works, with a deprecation note on stderr.
struct VFPortOptions: ParsableArguments {
    @Option(help: "Administrative MAC (unicast), e.g. 02:00:00:00:00:01. vf set: 00:00:00:00:00:00 clears it; attach: default the guest's lease on the network, else the next free MAC of mac_pool.")
    var mac: String?

    @Option(help: "Port VLAN id, 0-4095 (0: untagged). attach: default the network's VLAN, else none.")
    var vlan: String?

    @Option(help: "VLAN priority (802.1p), 0-7; needs --vlan.")
    var qos: String?

    @Option(help: "VLAN protocol: 802.1Q (default) or 802.1ad; needs --vlan.")
    var proto: String?

    @Option(help: "Trusted mode: on or off.")
    var trust: OnOff?

    @Option(help: "Spoof checking: on or off.")
    var spoofchk: OnOff?

    @Option(name: .customLong("link-state"), help: "Link state: auto, enable or disable.")
    var linkState: VFLinkState?

    @Option(name: .customLong("min-rate"), help: "Minimum TX rate in Mbps, 0-4294967295 (0: none).")
    var minRate: String?

    @Option(name: .customLong("max-rate"), help: "Maximum TX rate in Mbps, 0-4294967295 (0: unlimited).")
    var maxRate: String?

    /// `--vlan ID:QOS`, the spelling `attach` had before `--qos`.
    private var vlanHasQoS: Bool { vlan?.contains(":") == true }

    func validate() throws {
        if vlan == nil && (qos != nil || proto != nil) {
            throw ValidationError("--qos and --proto need --vlan")
        }
        if vlanHasQoS {
            if qos != nil { throw ValidationError("give the QoS once: --vlan ID --qos QOS") }
            printError("note: --vlan ID:QOS is deprecated; use --vlan ID --qos QOS")
        }
    }

    /// The options as settings; unparsable text or a number out of range is an error that
    /// starts with `place` (`eth3 VF 2: ` or empty) and names the option. Ranges that need
    /// the whole VF (rates against each other) are checked by ``VFSettings/validate(vfIndex:pf:)``.
    func settings(place: String = "") throws(SRIOVError) -> VFSettings {
        var settings = VFSettings()
        if let mac {
            guard let value = MACAddress(mac) else {
                throw SRIOVError(.invalidValue, "\(place)'\(TextRules.escaped(mac))' is not a MAC address "
                                 + "(expected aa:bb:cc:dd:ee:ff) (from --mac)")
            }
            settings.mac = value
        }
        if let vlan {
            var protocolValue = VLANProtocol.ieee8021Q
            if let proto {
                guard let value = VLANProtocol(text: proto) else {
                    throw SRIOVError(.invalidValue, "\(place)VLAN protocol '\(TextRules.escaped(proto))' is not 802.1Q "
                                     + "or 802.1ad (from --proto)")
                }
                protocolValue = value
            }
            if vlanHasQoS {
                do {
                    settings.vlan = try PortVLAN(validating: vlan, proto: protocolValue)
                } catch {
                    throw SRIOVError("\(place)\(error.message) (from --vlan)", causedBy: error)
                }
            } else {
                let id = try NumberOption.parseRequired(vlan, .vlanID, from: "--vlan", place: place)
                let qos = try NumberOption.parse(qos, .vlanQoS, from: "--qos", place: place) ?? 0
                settings.vlan = PortVLAN(id: id, qos: qos, proto: protocolValue)
            }
        }
        settings.trust = trust?.isOn
        settings.spoofCheck = spoofchk?.isOn
        settings.linkState = linkState
        settings.minTxRate = try NumberOption.parse(minRate, .minRate, from: "--min-rate", place: place)
        settings.maxTxRate = try NumberOption.parse(maxRate, .maxRate, from: "--max-rate", place: place)
        return settings
    }

    /// True when none of these options was given.
    var isEmpty: Bool {
        mac == nil && vlan == nil && qos == nil && proto == nil && trust == nil && spoofchk == nil
            && linkState == nil && minRate == nil && maxRate == nil
    }
}

/// `on` or `off` (also accepted: true/false, yes/no, 1/0).
enum OnOff: String, ExpressibleByArgument, CaseIterable {
    case on, off

    init?(argument: String) {
        switch argument.lowercased() {
        case "on", "true", "yes", "1": self = .on
        case "off", "false", "no", "0": self = .off
        default: return nil
        }
    }

    /// The switch as a Bool.
    var isOn: Bool { self == .on }
}

extension VFLinkState: ExpressibleByArgument {
    /// `auto`, `enable` or `disable`, in any case.
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
