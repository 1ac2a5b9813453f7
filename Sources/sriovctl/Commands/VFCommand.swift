import ArgumentParser
import SRIOVCore

/// `sriovctl vf`: read and program a PF's VFs over rtnetlink.
struct VFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vf",
        abstract: "Show and set VF MAC, VLAN, trust, spoof check, link state and rate (rtnetlink).",
        discussion: """
        PF is a netdev name (eth3) or a PCI address (0000:01:00.0). Values are checked before \
        anything is sent; on a failure nothing is sent for that VF after the failing setting, \
        and the message says what was applied before it. Exit 0 on success, 1 on failure. \
        See docs/netlink.md.
        """,
        subcommands: [VFShowCommand.self, VFSetCommand.self, VFApplyCommand.self]
    )
}

/// Resolution of a PF argument to the netdev netlink addresses.
enum PFArgument {
    /// The netdev of the PF named `identifier` (netdev, PCI address or sysfs device),
    /// found through sysfs discovery.
    static func netdev(_ identifier: String, services: HostServices) throws(SRIOVError) -> String {
        try resolve(identifier, services: services).netdev
    }

    /// The PF named `identifier` as sysfs shows it, and its netdev.
    static func resolve(_ identifier: String, services: HostServices) throws(SRIOVError)
        -> (netdev: String, pf: PhysicalFunction) {
        let pf = try services.discovery.discover().pf(matching: identifier)
        guard let netdev = pf.netdev else {
            throw SRIOVError(.notFound, "PF \(pf.name) has no network interface (is its driver bound?)")
        }
        return (netdev, pf)
    }
}

/// VF settings as typed on the command line or in a `vf apply` line, before parsing.
struct VFSettingsInput {
    var mac: String?
    var vlan: Int?
    var qos: Int?
    var proto: String?
    var trust: Bool?
    var spoofCheck: Bool?
    var linkState: String?
    var minRate: Int?
    var maxRate: Int?

    /// Parsed settings; text that does not parse is an error naming `place` ("eth3 VF 2").
    /// Ranges are checked later by `VFSettings.validate(vfIndex:pf:)`.
    func settings(at place: String) throws(SRIOVError) -> VFSettings {
        var settings = VFSettings()
        if let mac {
            guard let value = MACAddress(mac) else {
                throw SRIOVError(.invalidValue, "\(place): '\(TextRules.escaped(mac))' is not a MAC address (expected aa:bb:cc:dd:ee:ff)")
            }
            settings.mac = value
        }
        if vlan == nil && (qos != nil || proto != nil) {
            throw SRIOVError(.invalidValue, "\(place): a VLAN QoS or protocol needs a VLAN id")
        }
        if let vlan {
            var protocolValue = VLANProtocol.ieee8021Q
            if let proto {
                guard let value = VLANProtocol(text: proto) else {
                    throw SRIOVError(.invalidValue, "\(place): VLAN protocol '\(TextRules.escaped(proto))' is not 802.1Q or 802.1ad")
                }
                protocolValue = value
            }
            settings.vlan = PortVLAN(id: vlan, qos: qos ?? 0, proto: protocolValue)
        }
        settings.trust = trust
        settings.spoofCheck = spoofCheck
        if let linkState {
            guard let value = VFLinkState(rawValue: linkState.lowercased()) else {
                throw SRIOVError(.invalidValue, "\(place): link state '\(TextRules.escaped(linkState))' is not auto, enable or disable")
            }
            settings.linkState = value
        }
        settings.minTxRate = minRate
        settings.maxTxRate = maxRate
        return settings
    }
}
