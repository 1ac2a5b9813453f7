import Foundation
import GRDB
public import SRIOVCore

/// Reads the state tables into a ``StateSnapshot`` and writes ``StateEdit``s as SQL.
/// Values with structure (settings, saved states, interfaces, network definitions) are
/// stored as JSON text; keys and everything searched on are plain columns.
enum StateRows {
    // MARK: Reading

    static func snapshot(_ db: Database) throws -> StateSnapshot {
        var snapshot = StateSnapshot()
        var networkNames: [Int64: String] = [:]
        for row in try StoredRow.fetchAll(db, table: "network", sql: "SELECT id, name, definition FROM network ORDER BY name") {
            let id: Int64 = try row.value("id")
            let name: String = try row.value("name")
            networkNames[id] = name
            snapshot.networks.append(try decode(NetworkDefinition.self, row.value("definition"), what: "network \(name)", row: row))
        }
        var pfs: [Int64: PFRecord] = [:]
        for row in try StoredRow.fetchAll(db, table: "pf", sql: "SELECT * FROM pf ORDER BY device, permanent_mac") {
            let perm: String = try row.value("permanent_mac")
            let pciText: String? = try row.optional("pci_address")
            let record = PFRecord(id: PFStableID(device: try row.value("device"), permanentMAC: MACAddress(perm)),
                                  kind: PFKind(rawValue: try row.value("kind")) ?? .pci,
                                  pciAddress: pciText.flatMap(PCIAddress.init), netdev: try row.optional("netdev"))
            pfs[try row.value("id")] = record
            snapshot.pfs.append(record)
        }
        var guestNames: [Int64: String] = [:]
        for row in try StoredRow.fetchAll(db, table: "guest", sql: "SELECT id, name, uuid FROM guest ORDER BY name") {
            let name: String = try row.value("name")
            guestNames[try row.value("id")] = name
            snapshot.guests.append(GuestRecord(name: name, uuid: try row.optional("uuid")))
        }
        var leaseKeys: [Int64: LeaseKey] = [:]
        for row in try StoredRow.fetchAll(db, table: "lease", sql: "SELECT * FROM lease") {
            let guestID: Int64 = try row.value("guest_id")
            let networkID: Int64 = try row.value("network_id")
            guard let guest = guestNames[guestID] else {
                throw StoredRowError(table: "lease", rowID: row.id, column: "guest_id", problem: "names no guest (\(guestID))")
            }
            guard let network = networkNames[networkID] else {
                throw StoredRowError(table: "lease", rowID: row.id, column: "network_id",
                                     problem: "names no network (\(networkID))")
            }
            let key = LeaseKey(guest: guest, network: network, slot: try row.value("slot"))
            leaseKeys[try row.value("id")] = key
            let lastPF: Int64? = try row.optional("last_pf_id")
            let lastIndex: Int? = try row.optional("last_vf_index")
            var lastVF: VFKey?
            if let lastPF, let lastIndex, let pf = pfs[lastPF] { lastVF = VFKey(pf: pf.id, index: lastIndex) }
            snapshot.leases.append(LeaseRecord(key: key, mac: try mac(row.value("mac"), row: row, column: "mac"), lastVF: lastVF,
                                               createdAt: try row.value("created_at"), lastUsedAt: try row.optional("last_used_at")))
        }
        snapshot.leases.sort { $0.key < $1.key }
        for row in try StoredRow.fetchAll(db, table: "assignment", sql: "SELECT * FROM assignment") {
            guard let key = leaseKeys[try row.value("lease_id")], let pf = pfs[try row.value("pf_id")] else { continue }
            let pid: Int32? = try row.optional("owner_pid")
            let start: Int64? = try row.optional("owner_start_time")
            let boot: String? = try row.optional("owner_boot_id")
            let owner = pid.map { OperationOwner(pid: $0, startTime: UInt64(bitPattern: start ?? 0), bootID: boot ?? "") }
            let savedText: String? = try row.optional("saved_state")
            let pciText: String? = try row.optional("vf_pci_address")
            snapshot.assignments.append(AssignmentRecord(
                lease: key, vf: VFKey(pf: pf.id, index: try row.value("vf_index")),
                vfPCIAddress: pciText.flatMap(PCIAddress.init),
                state: AssignmentState(rawValue: try row.value("state")) ?? .intent,
                savedState: try savedText.map { try decode(VFState.self, $0, what: "saved state of \(key)", row: row) },
                desired: try decode(VFSettings.self, row.value("desired"), what: "settings of \(key)", row: row),
                interface: try decode(GuestInterface.self, row.value("interface"), what: "interface of \(key)", row: row),
                owner: owner, leaseCreated: try row.value("lease_created"), forgetOnRelease: try row.value("forget_on_release"),
                createdAt: try row.value("created_at"), updatedAt: try row.value("updated_at")))
        }
        snapshot.assignments.sort { $0.lease < $1.lease }
        for row in try StoredRow.fetchAll(db, table: "mac_quarantine", sql: "SELECT rowid AS id, * FROM mac_quarantine ORDER BY mac") {
            snapshot.quarantine.append(QuarantinedMAC(mac: try mac(row.value("mac"), row: row, column: "mac"),
                                                      formerGuest: try row.value("former_guest"),
                                                      formerGuestUUID: try row.optional("former_guest_uuid"),
                                                      network: try row.value("network"), releasedAt: try row.value("released_at")))
        }
        snapshot.sortCanonically()
        return snapshot
    }

    static func journal(_ db: Database, limit: Int?) throws -> [JournalEntry] {
        let sql = "SELECT * FROM journal ORDER BY id DESC" + (limit.map { " LIMIT \(max(0, $0))" } ?? "")
        return try StoredRow.fetchAll(db, table: "journal", sql: sql).map { row in
            let device: String? = try row.optional("pf_device")
            let perm: String? = try row.optional("pf_permanent_mac")
            let index: Int? = try row.optional("vf_index")
            let macText: String? = try row.optional("mac")
            var vf: VFKey?
            if let device, let index {
                vf = VFKey(pf: PFStableID(device: device, permanentMAC: perm.flatMap(MACAddress.init)), index: index)
            }
            return JournalEntry(action: try row.value("action"), guest: try row.optional("guest"),
                                network: try row.optional("network"),
                                mac: macText.flatMap(MACAddress.init), vf: vf, detail: try row.value("detail"),
                                id: try row.value("id"), at: try row.value("at"))
        }
    }

    // MARK: Writing

    static func apply(_ edit: StateEdit, now: String, in db: Database) throws {
        switch edit {
        case .recordNetwork(let network):
            try db.execute(sql: """
                INSERT INTO network (name, vlan_id, vlan_qos, vlan_proto, definition, updated_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(name) DO UPDATE SET vlan_id = excluded.vlan_id, vlan_qos = excluded.vlan_qos,
                    vlan_proto = excluded.vlan_proto, definition = excluded.definition, updated_at = excluded.updated_at
                """, arguments: [network.name, network.vlan?.id, network.vlan?.qos, network.vlan?.proto.rawValue,
                                 try encode(network), now])

        case .recordPF(let record):
            if let id = try pfID(record.id, db) {
                try db.execute(sql: """
                    UPDATE pf SET kind = ?, pci_address = COALESCE(?, pci_address), netdev = COALESCE(?, netdev),
                        permanent_mac = CASE WHEN permanent_mac = '' THEN ? ELSE permanent_mac END, last_seen = ?
                    WHERE id = ?
                    """, arguments: [record.kind.rawValue, record.pciAddress?.description, record.netdev,
                                     record.id.permanentMAC?.description ?? "", now, id])
            } else {
                try db.execute(sql: """
                    INSERT INTO pf (device, permanent_mac, kind, pci_address, netdev, first_seen, last_seen)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [record.id.device, record.id.permanentMAC?.description ?? "", record.kind.rawValue,
                                     record.pciAddress?.description, record.netdev, now, now])
            }

        case .recordGuest(let record, let renamedFrom):
            if let old = renamedFrom, old != record.name {
                try db.execute(sql: "UPDATE guest SET name = ? WHERE name = ?", arguments: [record.name, old])
            }
            let uuid = record.uuid?.lowercased()
            if try guestID(record.name, db) != nil {
                if let uuid {
                    try db.execute(sql: "UPDATE guest SET uuid = ? WHERE name = ?", arguments: [uuid, record.name])
                }
            } else {
                try db.execute(sql: "INSERT INTO guest (name, uuid, created_at) VALUES (?, ?, ?)",
                               arguments: [record.name, uuid, now])
            }

        case .createLease(let lease):
            let lastPF = try lease.lastVF.map { try pfID($0.pf, db) } ?? nil
            try db.execute(sql: """
                INSERT INTO lease (guest_id, network_id, slot, mac, last_pf_id, last_vf_index, created_at, last_used_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [try require(guestID(lease.key.guest, db), "guest \(lease.key.guest)"),
                                 try require(networkID(lease.key.network, db), "network \(lease.key.network)"),
                                 lease.key.slot, lease.mac.description, lastPF, lease.lastVF?.index,
                                 lease.createdAt ?? now, lease.lastUsedAt])

        case .touchLease(let key, let lastVF):
            let id = try require(leaseID(key, db), "lease of \(key)")
            if let lastVF, let pf = try pfID(lastVF.pf, db) {
                try db.execute(sql: "UPDATE lease SET last_used_at = ?, last_pf_id = ?, last_vf_index = ? WHERE id = ?",
                               arguments: [now, pf, lastVF.index, id])
            } else {
                try db.execute(sql: "UPDATE lease SET last_used_at = ? WHERE id = ?", arguments: [now, id])
            }

        case .forgetLease(let key):
            let id = try require(leaseID(key, db), "lease of \(key)")
            let mac = try String.fetchOne(db, sql: "SELECT mac FROM lease WHERE id = ?", arguments: [id]) ?? ""
            let uuid = try String.fetchOne(db, sql: "SELECT uuid FROM guest WHERE name = ?", arguments: [key.guest])
            try db.execute(sql: "DELETE FROM lease WHERE id = ?", arguments: [id])
            try quarantine(mac: mac, formerGuest: key.guest, formerGuestUUID: uuid, network: key.network, releasedAt: now, db)

        case .deleteLease(let key):
            let id = try require(leaseID(key, db), "lease of \(key)")
            try db.execute(sql: "DELETE FROM lease WHERE id = ?", arguments: [id])

        case .releaseQuarantine(let mac):
            try db.execute(sql: "DELETE FROM mac_quarantine WHERE mac = ?", arguments: [mac.description])

        case .recordQuarantine(let entry):
            try quarantine(mac: entry.mac.description, formerGuest: entry.formerGuest, formerGuestUUID: entry.formerGuestUUID,
                           network: entry.network, releasedAt: entry.releasedAt ?? now, db)

        case .createAssignment(let record):
            try db.execute(sql: """
                INSERT INTO assignment (lease_id, pf_id, vf_index, vf_pci_address, state, saved_state, desired, interface,
                    owner_pid, owner_start_time, owner_boot_id, lease_created, forget_on_release, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: try assignmentArguments(record, db) + [now, now])

        case .updateAssignment(let record):
            let lease = try require(leaseID(record.lease, db), "lease of \(record.lease)")
            try db.execute(sql: """
                UPDATE assignment SET lease_id = ?, pf_id = ?, vf_index = ?, vf_pci_address = ?, state = ?,
                    saved_state = ?, desired = ?, interface = ?, owner_pid = ?, owner_start_time = ?, owner_boot_id = ?,
                    lease_created = ?, forget_on_release = ?, updated_at = ?
                WHERE lease_id = ?
                """, arguments: try assignmentArguments(record, db) + [now, lease])

        case .deleteAssignment(let key):
            let lease = try require(leaseID(key, db), "lease of \(key)")
            try db.execute(sql: "DELETE FROM assignment WHERE lease_id = ?", arguments: [lease])

        case .journal(let entry):
            try db.execute(sql: """
                INSERT INTO journal (at, action, guest, network, mac, pf_device, pf_permanent_mac, vf_index, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [now, entry.action, entry.guest, entry.network, entry.mac?.description,
                                 entry.vf?.pf.device, entry.vf?.pf.permanentMAC?.description, entry.vf?.index,
                                 entry.detail])
        }
    }

    /// Quarantines `mac` (a released lease's, or one moved in), replacing an older entry for it.
    private static func quarantine(mac: String, formerGuest: String, formerGuestUUID: String?, network: String,
                                   releasedAt: String, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO mac_quarantine (mac, former_guest, former_guest_uuid, network, released_at)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT(mac) DO UPDATE SET former_guest = excluded.former_guest,
                former_guest_uuid = excluded.former_guest_uuid, network = excluded.network,
                released_at = excluded.released_at
            """, arguments: [mac, formerGuest, formerGuestUUID, network, releasedAt])
    }

    private static func assignmentArguments(_ record: AssignmentRecord, _ db: Database) throws -> StatementArguments {
        [try require(leaseID(record.lease, db), "lease of \(record.lease)"),
         try require(pfID(record.vf.pf, db), "PF \(record.vf.pf)"),
         record.vf.index, record.vfPCIAddress?.description, record.state.rawValue,
         try record.savedState.map(encode), try encode(record.desired), try encode(record.interface),
         record.owner?.pid, record.owner.map { Int64(bitPattern: $0.startTime) }, record.owner?.bootID,
         record.leaseCreated, record.forgetOnRelease]
    }

    // MARK: Keys

    static func pfID(_ id: PFStableID, _ db: Database) throws -> Int64? {
        let rows = try StoredRow.fetchAll(db, table: "pf", sql: "SELECT id, permanent_mac FROM pf WHERE device = ? ORDER BY id",
                                          arguments: [id.device])
        let wanted = id.permanentMAC?.description ?? ""
        for row in rows where try row.value("permanent_mac", as: String.self) == wanted { return try row.value("id") }
        for row in rows {
            let perm: String = try row.value("permanent_mac")
            if perm.isEmpty || wanted.isEmpty { return try row.value("id") }
        }
        return nil
    }

    static func guestID(_ name: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM guest WHERE name = ?", arguments: [name])
    }

    static func networkID(_ name: String, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM network WHERE name = ?", arguments: [name])
    }

    static func leaseID(_ key: LeaseKey, _ db: Database) throws -> Int64? {
        try Int64.fetchOne(db, sql: """
            SELECT lease.id FROM lease JOIN guest ON guest.id = lease.guest_id JOIN network ON network.id = lease.network_id
            WHERE guest.name = ? AND network.name = ? AND lease.slot = ?
            """, arguments: [key.guest, key.network, key.slot])
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

    static func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String, row: StoredRow) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoredRowError(table: row.table, rowID: row.id, column: what, problem: "is unreadable JSON (\(error))")
        }
    }

    private static func mac(_ text: String, row: StoredRow, column: String) throws -> MACAddress {
        guard let mac = MACAddress(text) else {
            throw StoredRowError(table: row.table, rowID: row.id, column: column, problem: "holds a malformed MAC '\(text)'")
        }
        return mac
    }
}
