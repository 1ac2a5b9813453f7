import Foundation
import PostgresNIO
import SRIOVCore

/// Reads one host's view of the fleet into a ``StateSnapshot`` and writes ``StateEdit``s
/// as SQL, as `SRIOVStore`'s `StateRows` does for SQLite, with the same JSON columns.
///
/// The view of host H: every network, guest, lease and quarantined MAC (fleet-wide: a MAC
/// chosen on H is checked against every host's leases), and H's own PFs and assignments.
/// A lease's last VF is shown only when it was on H.
enum PostgresStateRows {
    /// The server's clock as the stores write it: UTC ISO 8601 with milliseconds.
    static let nowSQL = #"to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#

    // MARK: Reading

    static func snapshot(_ s: PostgresSession, host: FleetHost) throws -> StateSnapshot {
        var snapshot = StateSnapshot()
        snapshot.host = host
        var networkNames: [Int: String] = [:]
        for row in try s.query("SELECT id, name, definition FROM network ORDER BY name") {
            let name: String = try row.value("name", table: "network")
            networkNames[try row.value("id", table: "network")] = name
            snapshot.networks.append(try decode(NetworkDefinition.self, row.value("definition", table: "network"),
                                                table: "network", what: "definition of \(name)"))
        }
        var pfs: [Int: PFRecord] = [:]
        for row in try s.query("SELECT * FROM pf WHERE host_id = $1 ORDER BY device, permanent_mac", [.text(host.id)]) {
            let perm: String = try row.value("permanent_mac", table: "pf")
            let pci: String? = try row.value("pci_address", table: "pf")
            let record = PFRecord(id: PFStableID(device: try row.value("device", table: "pf"), permanentMAC: MACAddress(perm)),
                                  kind: PFKind(rawValue: try row.value("kind", table: "pf")) ?? .pci,
                                  pciAddress: pci.flatMap(PCIAddress.init), netdev: try row.value("netdev", table: "pf"))
            pfs[try row.value("id", table: "pf")] = record
            snapshot.pfs.append(record)
        }
        var guestNames: [Int: String] = [:]
        for row in try s.query("SELECT id, name, uuid FROM guest ORDER BY name") {
            let name: String = try row.value("name", table: "guest")
            guestNames[try row.value("id", table: "guest")] = name
            snapshot.guests.append(GuestRecord(name: name, uuid: try row.value("uuid", table: "guest")))
        }
        var leaseKeys: [Int: LeaseKey] = [:]
        for row in try s.query("SELECT * FROM lease") {
            guard let guest = guestNames[try row.value("guest_id", table: "lease")],
                  let network = networkNames[try row.value("network_id", table: "lease")] else {
                throw PostgresStoredValueError(table: "lease", column: "guest_id/network_id", expected: "recorded guest and network")
            }
            let key = LeaseKey(guest: guest, network: network, slot: try row.value("slot", table: "lease"))
            leaseKeys[try row.value("id", table: "lease")] = key
            let lastPF: Int? = try row.value("last_pf_id", table: "lease")
            let lastIndex: Int? = try row.value("last_vf_index", table: "lease")
            var lastVF: VFKey?
            if let lastPF, let lastIndex, let pf = pfs[lastPF] { lastVF = VFKey(pf: pf.id, index: lastIndex) }
            snapshot.leases.append(LeaseRecord(key: key, mac: try mac(row.value("mac", table: "lease"), table: "lease"),
                                               lastVF: lastVF, createdAt: try row.value("created_at", table: "lease"),
                                               lastUsedAt: try row.value("last_used_at", table: "lease")))
        }
        for row in try s.query("SELECT * FROM assignment WHERE host_id = $1", [.text(host.id)]) {
            let t = "assignment"
            guard let key = leaseKeys[try row.value("lease_id", table: t)], let pf = pfs[try row.value("pf_id", table: t)] else { continue }
            let pid: Int? = try row.value("owner_pid", table: t)
            let start: Int? = try row.value("owner_start_time", table: t)
            let boot: String? = try row.value("owner_boot_id", table: t)
            var owner: OperationOwner?
            if let pid {
                guard let pid32 = Int32(exactly: pid) else {
                    throw PostgresStoredValueError(table: t, column: "owner_pid", expected: "process id")
                }
                owner = OperationOwner(pid: pid32, startTime: UInt64(bitPattern: Int64(start ?? 0)), bootID: boot ?? "")
            }
            let saved: String? = try row.value("saved_state", table: t)
            let pci: String? = try row.value("vf_pci_address", table: t)
            snapshot.assignments.append(AssignmentRecord(
                lease: key, vf: VFKey(pf: pf.id, index: try row.value("vf_index", table: t)),
                vfPCIAddress: pci.flatMap(PCIAddress.init),
                state: AssignmentState(rawValue: try row.value("state", table: t)) ?? .intent,
                savedState: try saved.map { try decode(VFState.self, $0, table: t, what: "saved state of \(key)") },
                desired: try decode(VFSettings.self, row.value("desired", table: t), table: t, what: "settings of \(key)"),
                interface: try decode(GuestInterface.self, row.value("interface", table: t), table: t, what: "interface of \(key)"),
                owner: owner, leaseCreated: try row.value("lease_created", table: t),
                forgetOnRelease: try row.value("forget_on_release", table: t),
                createdAt: try row.value("created_at", table: t), updatedAt: try row.value("updated_at", table: t)))
        }
        for row in try s.query("""
            SELECT a.lease_id, a.host_id, h.name AS host_name, p.device, p.permanent_mac, a.vf_index, a.state
            FROM assignment a JOIN host h ON h.id = a.host_id JOIN pf p ON p.id = a.pf_id
            WHERE a.host_id <> $1 ORDER BY a.host_id, a.lease_id
            """, [.text(host.id)]) {
            let t = "assignment"
            guard let key = leaseKeys[try row.value("lease_id", table: t)] else { continue }
            let perm: String = try row.value("permanent_mac", table: t)
            snapshot.elsewhere.append(RemoteAssignment(
                lease: key, host: FleetHost(id: try row.value("host_id", table: t), name: try row.value("host_name", table: t)),
                vf: VFKey(pf: PFStableID(device: try row.value("device", table: t), permanentMAC: MACAddress(perm)),
                          index: try row.value("vf_index", table: t)),
                state: AssignmentState(rawValue: try row.value("state", table: t)) ?? .intent))
        }
        for row in try s.query("SELECT * FROM mac_quarantine ORDER BY mac") {
            let t = "mac_quarantine"
            snapshot.quarantine.append(QuarantinedMAC(mac: try mac(row.value("mac", table: t), table: t),
                                                      formerGuest: try row.value("former_guest", table: t),
                                                      formerGuestUUID: try row.value("former_guest_uuid", table: t),
                                                      network: try row.value("network", table: t),
                                                      releasedAt: try row.value("released_at", table: t)))
        }
        snapshot.sortCanonically()
        return snapshot
    }

    static func journal(_ s: PostgresSession, host: FleetHost, limit: Int?) throws -> [JournalEntry] {
        let sql = "SELECT * FROM journal WHERE host_id = $1 ORDER BY id DESC" + (limit.map { " LIMIT \(max(0, $0))" } ?? "")
        return try s.query(sql, [.text(host.id)]).map { row in
            let t = "journal"
            let device: String? = try row.value("pf_device", table: t)
            let perm: String? = try row.value("pf_permanent_mac", table: t)
            let index: Int? = try row.value("vf_index", table: t)
            let macText: String? = try row.value("mac", table: t)
            var vf: VFKey?
            if let device, let index {
                vf = VFKey(pf: PFStableID(device: device, permanentMAC: perm.flatMap(MACAddress.init)), index: index)
            }
            return JournalEntry(action: try row.value("action", table: t), guest: try row.value("guest", table: t),
                                network: try row.value("network", table: t), mac: macText.flatMap(MACAddress.init), vf: vf,
                                detail: try row.value("detail", table: t), id: Int64(try row.value("id", as: Int.self, table: t)),
                                at: try row.value("at", table: t))
        }
    }

    // MARK: Writing

    /// Records `host` (its name may have changed) before its first write of a transaction.
    static func recordHost(_ s: PostgresSession, _ host: FleetHost, now: String) throws {
        try s.query("""
            INSERT INTO host (id, name, first_seen, last_seen) VALUES ($1, $2, $3, $3)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, last_seen = excluded.last_seen
            """, [.text(host.id), .text(host.name), .text(now)])
    }

    static func apply(_ edit: StateEdit, now: String, host: FleetHost, in s: PostgresSession) throws {
        switch edit {
        case .recordNetwork(let network):
            try s.query("""
                INSERT INTO network (name, vlan_id, vlan_qos, vlan_proto, definition, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (name) DO UPDATE SET vlan_id = excluded.vlan_id, vlan_qos = excluded.vlan_qos,
                    vlan_proto = excluded.vlan_proto, definition = excluded.definition, updated_at = excluded.updated_at
                """, [.text(network.name), .integer(network.vlan.map { Int($0.id) }), .integer(network.vlan.map { Int($0.qos) }),
                      .text(network.vlan?.proto.rawValue), .text(try encode(network)), .text(now)])

        case .recordPF(let record):
            if let id = try pfID(record.id, host: host, s) {
                try s.query("""
                    UPDATE pf SET kind = $1, pci_address = COALESCE($2, pci_address), netdev = COALESCE($3, netdev),
                        permanent_mac = CASE WHEN permanent_mac = '' THEN $4 ELSE permanent_mac END, last_seen = $5
                    WHERE id = $6
                    """, [.text(record.kind.rawValue), .text(record.pciAddress?.description), .text(record.netdev),
                          .text(record.id.permanentMAC?.description ?? ""), .text(now), .integer(id)])
            } else {
                try s.query("""
                    INSERT INTO pf (host_id, device, permanent_mac, kind, pci_address, netdev, first_seen, last_seen)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                    """, [.text(host.id), .text(record.id.device), .text(record.id.permanentMAC?.description ?? ""),
                          .text(record.kind.rawValue), .text(record.pciAddress?.description), .text(record.netdev), .text(now)])
            }

        case .recordGuest(let record, let renamedFrom):
            if let old = renamedFrom, old != record.name {
                try s.query("UPDATE guest SET name = $1 WHERE name = $2", [.text(record.name), .text(old)])
            }
            let uuid = record.uuid?.lowercased()
            if try guestID(record.name, s) != nil {
                if let uuid { try s.query("UPDATE guest SET uuid = $1 WHERE name = $2", [.text(uuid), .text(record.name)]) }
            } else {
                try s.query("INSERT INTO guest (name, uuid, created_at) VALUES ($1, $2, $3)",
                            [.text(record.name), .text(uuid), .text(now)])
            }

        case .createLease(let lease):
            let lastPF = try lease.lastVF.map { try pfID($0.pf, host: host, s) } ?? nil
            try s.query("""
                INSERT INTO lease (guest_id, network_id, slot, mac, last_pf_id, last_vf_index, created_at, last_used_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """, [.integer(try require(guestID(lease.key.guest, s), "guest \(lease.key.guest)")),
                      .integer(try require(networkID(lease.key.network, s), "network \(lease.key.network)")),
                      .integer(lease.key.slot), .text(lease.mac.description), .integer(lastPF),
                      .integer(lastPF == nil ? nil : lease.lastVF?.index), .text(lease.createdAt ?? now), .text(lease.lastUsedAt)])

        case .touchLease(let key, let lastVF):
            let id = try require(leaseID(key, s), "lease of \(key)")
            if let lastVF, let pf = try pfID(lastVF.pf, host: host, s) {
                try s.query("UPDATE lease SET last_used_at = $1, last_pf_id = $2, last_vf_index = $3 WHERE id = $4",
                            [.text(now), .integer(pf), .integer(lastVF.index), .integer(id)])
            } else {
                try s.query("UPDATE lease SET last_used_at = $1 WHERE id = $2", [.text(now), .integer(id)])
            }

        case .forgetLease(let key):
            let id = try require(leaseID(key, s), "lease of \(key)")
            let mac = try s.query("SELECT mac FROM lease WHERE id = $1", [.integer(id)]).first?
                .value("mac", as: String.self, table: "lease") ?? ""
            let uuid = try s.query("SELECT uuid FROM guest WHERE name = $1", [.text(key.guest)]).first?
                .value("uuid", as: String?.self, table: "guest") ?? nil
            try s.query("DELETE FROM lease WHERE id = $1", [.integer(id)])
            try quarantine(mac: mac, formerGuest: key.guest, formerGuestUUID: uuid, network: key.network, releasedAt: now, s)

        case .deleteLease(let key):
            let id = try require(leaseID(key, s), "lease of \(key)")
            try s.query("DELETE FROM lease WHERE id = $1", [.integer(id)])

        case .releaseQuarantine(let mac):
            try s.query("DELETE FROM mac_quarantine WHERE mac = $1", [.text(mac.description)])

        case .recordQuarantine(let entry):
            try quarantine(mac: entry.mac.description, formerGuest: entry.formerGuest, formerGuestUUID: entry.formerGuestUUID,
                           network: entry.network, releasedAt: entry.releasedAt ?? now, s)

        case .createAssignment(let record):
            try s.query("""
                INSERT INTO assignment (lease_id, pf_id, vf_index, vf_pci_address, state, saved_state, desired, interface,
                    owner_pid, owner_start_time, owner_boot_id, lease_created, forget_on_release, host_id, created_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)
                """, try assignmentValues(record, host: host, s) + [.text(host.id), .text(now)])

        case .updateAssignment(let record):
            let lease = try require(leaseID(record.lease, s), "lease of \(record.lease)")
            try s.query("""
                UPDATE assignment SET lease_id = $1, pf_id = $2, vf_index = $3, vf_pci_address = $4, state = $5,
                    saved_state = $6, desired = $7, interface = $8, owner_pid = $9, owner_start_time = $10, owner_boot_id = $11,
                    lease_created = $12, forget_on_release = $13, updated_at = $14
                WHERE lease_id = $15 AND host_id = $16
                """, try assignmentValues(record, host: host, s) + [.text(now), .integer(lease), .text(host.id)])

        case .deleteAssignment(let key):
            let lease = try require(leaseID(key, s), "lease of \(key)")
            try s.query("DELETE FROM assignment WHERE lease_id = $1 AND host_id = $2", [.integer(lease), .text(host.id)])

        case .journal(let entry):
            try s.query("""
                INSERT INTO journal (host_id, at, action, guest, network, mac, pf_device, pf_permanent_mac, vf_index, detail)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                """, [.text(host.id), .text(now), .text(entry.action), .text(entry.guest), .text(entry.network),
                      .text(entry.mac?.description), .text(entry.vf?.pf.device), .text(entry.vf?.pf.permanentMAC?.description),
                      .integer(entry.vf?.index), .text(entry.detail)])
        }
    }

    /// Quarantines `mac` (a released lease's, or one moved in), replacing an older entry for it.
    private static func quarantine(mac: String, formerGuest: String, formerGuestUUID: String?, network: String,
                                   releasedAt: String, _ s: PostgresSession) throws {
        try s.query("""
            INSERT INTO mac_quarantine (mac, former_guest, former_guest_uuid, network, released_at)
            VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (mac) DO UPDATE SET former_guest = excluded.former_guest,
                former_guest_uuid = excluded.former_guest_uuid, network = excluded.network, released_at = excluded.released_at
            """, [.text(mac), .text(formerGuest), .text(formerGuestUUID), .text(network), .text(releasedAt)])
    }

    private static func assignmentValues(_ record: AssignmentRecord, host: FleetHost,
                                         _ s: PostgresSession) throws -> [PostgresSession.Value] {
        [.integer(try require(leaseID(record.lease, s), "lease of \(record.lease)")),
         .integer(try require(pfID(record.vf.pf, host: host, s), "PF \(record.vf.pf)")),
         .integer(record.vf.index), .text(record.vfPCIAddress?.description), .text(record.state.rawValue),
         .text(try record.savedState.map(encode)), .text(try encode(record.desired)), .text(try encode(record.interface)),
         .integer(record.owner.map { Int($0.pid) }), .integer(record.owner.map { Int(Int64(bitPattern: $0.startTime)) }),
         .text(record.owner?.bootID), .boolean(record.leaseCreated), .boolean(record.forgetOnRelease)]
    }

    // MARK: Keys

    static func pfID(_ id: PFStableID, host: FleetHost, _ s: PostgresSession) throws -> Int? {
        let rows = try s.query("SELECT id, permanent_mac FROM pf WHERE host_id = $1 AND device = $2 ORDER BY id",
                               [.text(host.id), .text(id.device)])
        let wanted = id.permanentMAC?.description ?? ""
        for row in rows where try row.value("permanent_mac", as: String.self, table: "pf") == wanted {
            return try row.value("id", table: "pf")
        }
        for row in rows {
            let perm: String = try row.value("permanent_mac", table: "pf")
            if perm.isEmpty || wanted.isEmpty { return try row.value("id", table: "pf") }
        }
        return nil
    }

    static func guestID(_ name: String, _ s: PostgresSession) throws -> Int? {
        try s.query("SELECT id FROM guest WHERE name = $1", [.text(name)]).first?.value("id", table: "guest")
    }

    static func networkID(_ name: String, _ s: PostgresSession) throws -> Int? {
        try s.query("SELECT id FROM network WHERE name = $1", [.text(name)]).first?.value("id", table: "network")
    }

    static func leaseID(_ key: LeaseKey, _ s: PostgresSession) throws -> Int? {
        try s.query("""
            SELECT lease.id FROM lease JOIN guest ON guest.id = lease.guest_id JOIN network ON network.id = lease.network_id
            WHERE guest.name = $1 AND network.name = $2 AND lease.slot = $3
            """, [.text(key.guest), .text(key.network), .integer(key.slot)]).first?.value("id", table: "lease")
    }

    private static func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw SRIOVError(.notFound, "\(what) is not recorded in the state database") }
        return value
    }

    // MARK: JSON

    private static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, table: String, what: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw PostgresStoredValueError(table: table, column: what, expected: "readable JSON value")
        }
    }

    private static func mac(_ text: String, table: String) throws -> MACAddress {
        guard let mac = MACAddress(text) else { throw PostgresStoredValueError(table: table, column: "mac", expected: "MAC address") }
        return mac
    }
}
