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
