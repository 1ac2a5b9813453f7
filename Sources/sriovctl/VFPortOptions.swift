import ArgumentParser
import SRIOVCore

/// The VF port options `vf set` and `attach` share: trust, spoof check, link state, rates.
///
/// Values are parsed by ArgumentParser, so a bad one is a usage error (exit 64) naming the
/// option and the accepted values, and `--help` lists them.
struct VFPortOptions: ParsableArguments {
    @Option(help: "Trusted mode: on or off.")
    var trust: OnOff?

    @Option(help: "Spoof checking: on or off.")
    var spoofchk: OnOff?

    @Option(name: .customLong("link-state"), help: "Link state: auto, enable or disable.")
    var linkState: VFLinkState?

    @Option(name: .customLong("min-rate"), help: "Minimum TX rate in Mbps (0: none).")
    var minRate: Int?

    @Option(name: .customLong("max-rate"), help: "Maximum TX rate in Mbps (0: unlimited).")
    var maxRate: Int?

    /// True when none of these options was given.
    var isEmpty: Bool { trust == nil && spoofchk == nil && linkState == nil && minRate == nil && maxRate == nil }
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
