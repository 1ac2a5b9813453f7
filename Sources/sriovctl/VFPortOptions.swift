import ArgumentParser
import SRIOVCore

/// The VF port options `vf set` and `attach` share: trust, spoof check, link state, rates.
///
/// The switches are parsed by ArgumentParser, so a bad one is a usage error (exit 64) naming
/// the option and the accepted values. Rates are text read by ``rates(place:)`` with the core's
/// bounded number parser: plain decimal digits up to 4294967295 (the kernel's u32).
struct VFPortOptions: ParsableArguments {
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

    /// `--min-rate` and `--max-rate` as numbers; an error starts with `place` and names the option.
    func rates(place: String = "") throws(SRIOVError) -> (min: Int?, max: Int?) {
        (try NumberOption.parse(minRate, .minRate, from: "--min-rate", place: place),
         try NumberOption.parse(maxRate, .maxRate, from: "--max-rate", place: place))
    }

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
