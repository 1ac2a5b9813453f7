import ArgumentParser
import SRIOVCore
import SRIOVFrontEnd

/// `sriovctl vf apply PF [--file F] [--json]`: programs many VFs of one PF from JSON
/// Lines, in as few netlink requests as the kernel allows (one for a whole PF). The lean
/// binary runs the same ``VFApplyRun`` without ArgumentParser for the forms ``LeanCommandLine``
/// reads; this declaration is the command's help and everything else.
struct VFApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Program many VFs of one PF from JSON Lines (one request per PF when possible).",
        discussion: """
        One JSON object per line, e.g.
          {"vf": 3, "mac": "02:00:00:00:00:03", "vlan": 100, "qos": 2, "proto": "802.1Q",
           "trust": false, "spoofchk": true, "linkState": "auto", "minRate": 0, "maxRate": 1000}
        Only "vf" is required; absent keys leave the setting as it is. Blank lines and lines \
        starting with # are skipped. Every line is checked (values, VF index, duplicates) \
        before anything is sent: one bad line and nothing changes. See docs/netlink.md.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The PF: netdev name or PCI address.")
    var pf: String

    @Option(help: "The JSON Lines file ('-' or absent: standard input).")
    var file: String = "-"

    @Flag(help: "Print the apply report as JSON.")
    var json = false

    func run() throws {
        let status = VFApplyRun(pf: pf, file: file, json: json).run(HostServices(options: global).vfApplyService)
        if status != .success { throw status.code }
    }
}
