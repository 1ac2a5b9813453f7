import ArgumentParser
import SRIOVCore
import SRIOVFrontEnd

/// `sriovctl list`: every SR-IOV PF and VF on the host.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show every SR-IOV PF and its VFs (sysfs, plus live VF settings over netlink).",
        discussion: "Exit 0 even when the host has no SR-IOV device. JSON shape: docs/json.md."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (documented, stable shape).")
    var json = false

    @Flag(name: .customLong("no-netlink"), help: "Only sysfs; do not read live VF settings.")
    var noNetlink = false

    func run() throws {
        let services = HostServices(options: global)
        var inventory = services.discovery.discover()
        if !noNetlink {
            LiveVFMerger.merge(into: &inventory, using: services.linkControl)
        }
        if json {
            try JSONOutput.print(inventory)
        } else {
            print(InventoryReport.render(inventory))
        }
        for warning in inventory.warnings {
            printError("warning: \(warning)")
        }
    }
}

/// Fills each VF's `live` field from netlink; a PF that cannot be read becomes a warning.
enum LiveVFMerger {
    static func merge(into inventory: inout HostInventory, using control: any VFLinkControlling) {
        for p in inventory.pfs.indices {
            guard let netdev = inventory.pfs[p].netdev, !inventory.pfs[p].vfs.isEmpty else { continue }
            do {
                let status = try control.readPF(netdev)
                for v in inventory.pfs[p].vfs.indices {
                    inventory.pfs[p].vfs[v].live = status.vf(inventory.pfs[p].vfs[v].index)
                }
            } catch {
                inventory.warnings.append("\(netdev): live VF settings unavailable: \(error.message)")
            }
        }
    }
}
