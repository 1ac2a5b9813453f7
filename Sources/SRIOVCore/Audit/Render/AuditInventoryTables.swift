/// The inventory as tables of plain text cells, shared by the terminal and HTML renderers
/// (each escapes or pads the cells its own way). `none` fills a missing value.
struct AuditInventoryTables {
    /// Headings and rows of one table.
    struct Table {
        var header: [String]
        var rows: [[String]]
    }

    let inventory: AuditInventory
    let none: String

    var pfs: Table {
        Table(header: ["PF", "PCI", "State", "VFs", "Assigned", "Drifted", "Free", "Stale", "Foreign", "Unknown"],
              rows: inventory.pfs.map { pf in
                  [pf.name, pf.pciAddress?.description ?? none, pf.operState ?? none, "\(pf.vfs.count)",
                   "\(pf.count(.assigned))", "\(pf.count(.drifted))", "\(pf.count(.free))", "\(pf.count(.stale))",
                   "\(pf.count(.foreign))", "\(pf.count(.unknown))"]
              })
    }

    /// The notable VFs (see ``AuditInventoryVF/isNotable``).
    var vfs: Table {
        var rows: [[String]] = []
        for pf in inventory.pfs {
            for vf in pf.vfs where vf.isNotable {
                rows.append(["\(pf.name) VF \(vf.index)", vf.pciAddress?.description ?? none,
                             vf.status.rawValue + ((vf.worstFinding ?? .info) >= .error ? " !" : ""),
                             vf.mac?.description ?? none, vf.expectedMAC?.description ?? none, vf.vlan ?? none,
                             onOff(vf.spoofCheck), onOff(vf.trust), vf.linkState?.rawValue ?? none,
                             vf.guest ?? none, vf.network ?? none])
            }
        }
        return Table(header: ["VF", "PCI", "Status", "MAC", "Database MAC", "VLAN", "Spoofchk", "Trust", "Link", "Guest",
                              "Network"], rows: rows)
    }

    /// How many VFs ``vfs`` leaves out (clean and free).
    var hiddenVFCount: Int { inventory.pfs.reduce(0) { $0 + $1.vfs.count { !$0.isNotable } } }

    var guests: Table {
        var rows: [[String]] = []
        for guest in inventory.guests {
            for (row, (lease, defined)) in guest.rows.enumerated() {
                rows.append([row == 0 ? guest.name : "", row == 0 ? guest.state.rawValue : "",
                             lease?.network ?? none, lease.map { "\($0.slot)" } ?? none,
                             lease?.mac.description ?? none, lease?.vf ?? none,
                             defined?.mac.description ?? none, defined?.pciAddress?.description ?? none])
            }
        }
        return Table(header: ["Guest", "libvirt", "Network", "Slot", "Leased MAC", "VF", "Defined MAC", "Defined source"],
                     rows: rows)
    }

    var networks: Table {
        Table(header: ["Network", "Leases", "Assigned", "Guests"], rows: inventory.networks.map {
            [$0.name, "\($0.leases)", "\($0.assigned)", $0.guests.joined(separator: ", ")]
        })
    }

    var macs: Table {
        Table(header: ["MAC", "Where"], rows: inventory.macs.map {
            [$0.mac.description, $0.locations.map(\.label).joined(separator: "; ")]
        })
    }

    private func onOff(_ value: Bool?) -> String { value.map { $0 ? "on" : "off" } ?? none }
}
