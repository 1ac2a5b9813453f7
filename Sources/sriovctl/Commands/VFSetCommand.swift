import ArgumentParser
import SRIOVCore

/// `sriovctl vf set PF VF [--mac M] [--vlan ID] ...`: programs one VF.
struct VFSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set one VF's MAC, VLAN (QoS, protocol), trust, spoof check, link state or rates.",
        discussion: """
        Only the given settings change. --min-rate or --max-rate alone keeps the other limit. \
        --qos and --proto need --vlan. Exit 1 when a value is invalid (nothing sent) or the \
        kernel refuses; the message names the PF, the VF and the setting.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The PF: netdev name or PCI address.")
    var pf: String

    @Argument(help: "The VF index on that PF (decimal digits).")
    var vf: String

    @Option(help: "Administrative MAC (unicast), e.g. 02:00:00:00:00:01; 00:00:00:00:00:00 clears it.")
    var mac: String?

    @Option(help: "Port VLAN id, 0-4095 (0: untagged).")
    var vlan: String?

    @Option(help: "VLAN priority (802.1p), 0-7; needs --vlan.")
    var qos: String?

    @Option(help: "VLAN protocol: 802.1Q (default) or 802.1ad; needs --vlan.")
    var proto: String?

    @OptionGroup var port: VFPortOptions

    func validate() throws {
        if mac == nil && vlan == nil && qos == nil && proto == nil && port.isEmpty {
            throw ValidationError("nothing to set: give at least one of --mac, --vlan, --trust, --spoofchk, --link-state, --min-rate, --max-rate")
        }
        if vlan == nil && (qos != nil || proto != nil) {
            throw ValidationError("--qos and --proto need --vlan")
        }
    }

    func run() throws {
        let services = HostServices(options: global)
        let (netdev, outcome) = try exitingOnFailure { () throws(SRIOVError) -> (String, VFApplyReport.Outcome) in
            let index = try NumberOption.parseRequired(vf, .vfIndex, from: "the VF argument", place: "\(TextRules.escaped(pf)): ")
            let netdev = try PFArgument.netdev(pf, services: services)
            let settings = try settings(at: "\(netdev) VF \(index)")
            try settings.validate(vfIndex: index, pf: netdev)
            let report = services.linkControl.apply([VFChange(index: index, settings: settings)], on: netdev)
            return (netdev, report.outcomes[0])
        }
        let index = outcome.index
        for note in outcome.notes { printError("note: \(netdev) VF \(index): \(note)") }
        if let error = outcome.error {
            ExitStatus.report(error.error)
            if !outcome.applied.isEmpty {
                printError("note: applied before the failure: \(outcome.applied.joined(separator: ", "))")
            }
            throw ExitStatus.failure.code
        }
        print("\(netdev) VF \(index): set \(outcome.applied.joined(separator: ", "))")
    }

    /// The options as settings; unparsable text or a number out of range is an error naming
    /// the VF and the option.
    func settings(at place: String) throws(SRIOVError) -> VFSettings {
        let rates = try port.rates(place: "\(place): ")
        let input = VFSettingsInput(
            mac: mac, vlan: try NumberOption.parse(vlan, .vlanID, from: "--vlan", place: "\(place): "),
            qos: try NumberOption.parse(qos, .vlanQoS, from: "--qos", place: "\(place): "), proto: proto,
            trust: port.trust?.isOn, spoofCheck: port.spoofchk?.isOn,
            linkState: port.linkState?.rawValue, minRate: rates.min, maxRate: rates.max)
        return try input.settings(at: place)
    }
}
