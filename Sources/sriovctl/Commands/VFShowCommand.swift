import ArgumentParser
import SRIOVCore

/// `sriovctl vf show PF [--json]`: every VF as the kernel reports it, in one netlink read.
struct VFShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a PF's link and every VF's settings as the kernel reports them.",
        discussion: "JSON shape (PFLinkStatus): docs/netlink.md."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The PF: netdev name or PCI address.")
    var pf: String

    @Flag(help: "Print JSON (documented, stable shape).")
    var json = false

    func run() throws {
        let services = HostServices(options: global)
        let status = try exitingOnFailure { () throws(SRIOVError) -> PFLinkStatus in
            let netdev = try PFArgument.netdev(pf, discovery: services.discovery)
            return try services.linkControl.readPF(netdev)
        }
        if json {
            try JSONOutput.print(status)
        } else {
            print(Self.render(status))
        }
    }

    /// The human form: one PF line, then a table of VFs.
    static func render(_ status: PFLinkStatus) -> String {
        var line = "\(status.name): ifindex \(status.ifindex), \(status.operState)"
        if let mac = status.mac { line += ", mac \(mac)" }
        if let permanent = status.permanentMAC, permanent != status.mac { line += ", permanent \(permanent)" }
        line += ", \(status.numVFs) VF\(status.numVFs == 1 ? "" : "s")"
        guard !status.vfs.isEmpty else { return line }
        var table = TextTable(header: ["VF", "MAC", "VLAN", "QOS", "PROTO", "SPOOFCHK", "TRUST", "LINK", "MIN-RATE",
                                       "MAX-RATE", "RSS-QUERY"])
        for vf in status.vfs {
            let vlan = vf.vlan
            table.append([String(vf.index), vf.mac.description, String(vlan.id), String(vlan.qos), vlan.proto.rawValue,
                          onOff(vf.spoofCheck), onOff(vf.trust), vf.linkState?.rawValue ?? "-",
                          vf.minTxRate.map(String.init) ?? "-", vf.maxTxRate.map(String.init) ?? "-",
                          onOff(vf.rssQuery)])
        }
        return line + "\n" + table.render()
    }

    private static func onOff(_ value: Bool?) -> String {
        value.map { $0 ? "on" : "off" } ?? "-"
    }
}
