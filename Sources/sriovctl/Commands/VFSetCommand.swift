import ArgumentParser
import SRIOVCore
import SRIOVFrontEnd

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

    @OptionGroup var port: VFPortOptions

    func validate() throws {
        if port.isEmpty {
            throw ValidationError("nothing to set: give at least one of "
                                  + VFField.allCases.map(\.option).joined(separator: ", "))
        }
    }

    func run() throws {
        let services = HostServices(options: global)
        let (netdev, outcome) = try exitingOnFailure { () throws(SRIOVError) -> (String, VFApplyReport.Outcome) in
            let index = try NumberOption.parseRequired(vf, .vfIndex, from: "the VF argument", place: "\(TextRules.escaped(pf)): ")
            let netdev = try PFArgument.netdev(pf, discovery: services.discovery)
            let settings = try port.settings(place: "\(netdev) VF \(index): ")
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
}
