/// `sriovctl leases`: every lease with its guest, MAC, network and VF.
public struct LeaseReport: Hashable, Sendable, Codable {
    /// JSON schema version.
    public var schemaVersion: Int = 1
    /// One row per lease, by guest, network, slot.
    public var leases: [Row]
    /// Quarantined MACs.
    public var quarantine: [QuarantinedMAC]

    /// One lease.
    public struct Row: Hashable, Sendable, Codable, ExplicitNullEncoding {
        /// Guest name.
        public var guest: String
        /// Guest UUID when known.
        public var uuid: String?
        /// Network.
        public var network: String
        /// Slot.
        public var slot: Int
        /// MAC.
        public var mac: MACAddress
        /// `attached`, `intent`, `releasing`, or `free` (no VF: detached).
        public var state: String
        /// The PF's netdev as last seen (`nil` when free).
        public var pf: String?
        /// The PF's stable identity.
        public var pfID: PFStableID?
        /// VF index.
        public var vfIndex: Int?
        /// VF PCI address.
        public var vfPCIAddress: PCIAddress?
        /// Port VLAN programmed.
        public var vlan: PortVLAN?
        /// When the lease was created.
        public var createdAt: String?
        /// When it was last attached.
        public var lastUsedAt: String?
        /// The NUMA node of the VF's PF as sysfs shows it now (``LeaseReport/addingNUMANodes(from:)``);
        /// `nil` when free, unknown (sysfs -1) or not looked up.
        public var numaNode: Int? = nil
        /// With a fleet database: this host, when the VF above is on it (`nil` on SQLite).
        public var host: String?
        /// With a fleet database: the other hosts holding the lease, as `HOST (ID): PF VF N`
        /// (two hosts while a guest moves).
        public var otherHosts: [String] = []

        enum CodingKeys: String, CodingKey, CaseIterable {
            case guest, uuid, network, slot, mac, state, pf, pfID = "pfId", vfIndex, vfPCIAddress = "vfPciAddress"
            case vlan, numaNode, createdAt, lastUsedAt, host, otherHosts
        }

        /// Every key, `null` when absent, so consumers see a fixed shape.
        public func encode(to encoder: any Encoder) throws { try encodeWithExplicitNulls(to: encoder) }
    }

    /// Creates a report from a snapshot.
    public init(snapshot: StateSnapshot) {
        leases = snapshot.leases.sorted { $0.key < $1.key }.map { lease in
            let assignment = snapshot.assignment(for: lease.key)
            let pf = assignment.flatMap { snapshot.pf($0.vf.pf) }
            let state = switch assignment?.state {
            case .applied: "attached"
            case .intent: "intent"
            case .releasing: "releasing"
            case nil: "free"
            }
            let elsewhere = snapshot.assignmentsElsewhere(for: lease.key)
            let shownState = assignment == nil && !elsewhere.isEmpty ? "elsewhere" : state
            return Row(guest: lease.key.guest, uuid: snapshot.guest(named: lease.key.guest)?.uuid,
                       network: lease.key.network, slot: lease.key.slot, mac: lease.mac, state: shownState,
                       pf: assignment.map { _ in pf?.displayName ?? assignment?.vf.pf.device ?? "unknown PF" }, pfID: assignment?.vf.pf,
                       vfIndex: assignment?.vf.index, vfPCIAddress: assignment?.vfPCIAddress,
                       vlan: assignment?.desired.vlan, createdAt: lease.createdAt, lastUsedAt: lease.lastUsedAt,
                       host: assignment == nil ? nil : snapshot.host?.description,
                       otherHosts: elsewhere.map { "\($0.host): \($0.vf)" })
        }
        quarantine = snapshot.quarantine.sorted { $0.mac < $1.mac }
    }

    /// The report with each held VF's NUMA node: its PF's `numa_node` in `inventory` (matched by
    /// the PF's PCI address or sysfs device, as the database records it).
    public func addingNUMANodes(from inventory: HostInventory) -> LeaseReport {
        var report = self
        for i in report.leases.indices {
            guard let device = report.leases[i].pfID?.device else { continue }
            let pf = inventory.pfs.first { ($0.pciAddress?.description ?? $0.sysfsDevice) == device }
            report.leases[i].numaNode = pf?.numaNode
        }
        return report
    }

    /// The human table: GUEST NETWORK MAC STATE PF VF PCI VLAN NUMA.
    public func renderTable() -> String {
        var header = ["GUEST", "NETWORK", "SLOT", "MAC", "STATE", "PF", "VF", "VF-PCI", "VLAN", "NUMA"]
        // With a fleet database, a HOSTS column: where each lease is attached (two hosts while a guest moves).
        let fleet = leases.contains { $0.host != nil || !$0.otherHosts.isEmpty }
        if fleet { header.append("HOSTS") }
        var table = TextTable(header: header)
        for row in leases {
            var cells = [row.guest, row.network, String(row.slot), row.mac.description, row.state, row.pf ?? "-",
                         row.vfIndex.map(String.init) ?? "-", row.vfPCIAddress?.description ?? "-",
                         row.vlan.map { $0 == .none ? "-" : $0.description } ?? "-",
                         row.numaNode.map(String.init) ?? "-"]
            if fleet { cells.append(((row.host.map { [$0 + " (here)"] } ?? []) + row.otherHosts).joined(separator: "; ")) }
            table.append(cells)
        }
        var text = leases.isEmpty ? "no leases" : table.render()
        if !quarantine.isEmpty {
            text += "\n\nquarantined MACs (released with --forget, never reused):\n"
            var q = TextTable(header: ["MAC", "FORMER-GUEST", "NETWORK", "RELEASED"])
            for entry in quarantine {
                q.append([entry.mac.description, entry.formerGuest, entry.network, entry.releasedAt ?? "-"])
            }
            text += q.render()
        }
        return text
    }
}
