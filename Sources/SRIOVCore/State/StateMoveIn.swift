/// Moving a host's SQLite state into the fleet database (`sriovctl state move-in FILE`):
/// the edits that copy it, or every conflict that stops it, each with the command that
/// resolves it. Pure: runs as the body of the fleet store's update, so the check and the
/// copy see the same fleet records.
///
/// Copied: networks the fleet does not have yet, guests, leases (a lease the fleet already
/// has with the same MAC is left as it is), this host's PFs and assignments (only
/// `applied` ones), and the MAC quarantine (an entry whose MAC the fleet leases is left out:
/// the fleet already never hands that MAC out again). Refused, listed: a lease whose MAC the fleet
/// gives another lease or has quarantined for another guest, a lease the fleet knows with
/// another MAC, a guest UUID the fleet records for another guest, an assignment not yet
/// `applied` (an attach or detach was interrupted), a VF the fleet assigns to another lease.
public enum StateMoveIn {
    /// One thing that stops the move, and how to resolve it.
    public struct Conflict: Hashable, Sendable, CustomStringConvertible {
        /// What collides.
        public var problem: String
        /// The command (or step) that resolves it.
        public var resolution: String

        /// `problem; resolve with: resolution`.
        public var description: String { "\(problem); resolve with: \(resolution)" }
    }

    /// What would be or was moved.
    public struct Summary: Hashable, Sendable {
        /// Leases copied.
        public var leases = 0
        /// Assignments copied.
        public var assignments = 0
        /// Quarantined MACs copied.
        public var quarantined = 0
        /// Leases the fleet already had, the same.
        public var alreadyThere = 0
    }

    /// What ``plan(local:into:file:)`` decided.
    public enum Plan: Hashable, Sendable {
        /// The edits to apply, and what they move.
        case move([StateEdit], Summary)
        /// What stops the move; nothing is to be written.
        case refuse([Conflict])
    }

    /// The edits that copy `local` (the SQLite file at `file`) into `fleet` (this host's view of
    /// the fleet database), with a summary; or the conflicts, when there is any.
    public static func plan(local: StateSnapshot, into fleet: StateSnapshot,
                            file: String) -> Plan {
        var conflicts: [Conflict] = []
        var edits: [StateEdit] = []
        var summary = Summary()
        func forget(_ key: LeaseKey) -> String {
            "sriovctl detach \(key.guest) --network \(key.network)" + (key.slot == 0 ? "" : " --slot \(key.slot)")
                + " --forget --db \(file)   (the guest gets the fleet's MAC, or a new one, at its next attach)"
        }
        for guest in local.guests {
            if let uuid = guest.uuid, let other = fleet.guest(uuid: uuid), other.name != guest.name {
                conflicts.append(Conflict(problem: "guest UUID \(uuid) is '\(guest.name)' here and '\(other.name)' in the fleet database",
                                          resolution: "rename one of the guests in libvirt (virsh domrename), then attach it again"))
            }
        }
        var movingLeases: [LeaseKey] = []
        for lease in local.leases {
            if let known = fleet.lease(lease.key) {
                if known.mac == lease.mac { summary.alreadyThere += 1; continue }
                conflicts.append(Conflict(problem: "\(lease.key) has MAC \(lease.mac) here and \(known.mac) in the fleet database",
                                          resolution: forget(lease.key)))
            } else if let holder = fleet.lease(mac: lease.mac) {
                conflicts.append(Conflict(problem: "MAC \(lease.mac) is leased to \(lease.key) here and to \(holder.key) in the fleet database",
                                          resolution: forget(lease.key)))
            } else if let q = fleet.quarantined(lease.mac), q.formerGuest != lease.key.guest {
                conflicts.append(Conflict(problem: "MAC \(lease.mac) of \(lease.key) is quarantined in the fleet database "
                                          + "(released by guest '\(q.formerGuest)')", resolution: forget(lease.key)))
            } else {
                movingLeases.append(lease.key)
            }
        }
        for assignment in local.assignments {
            if assignment.state != .applied {
                conflicts.append(Conflict(problem: "\(assignment.lease) is \(assignment.state) here (an attach or detach was "
                                          + "interrupted)", resolution: "sriovctl provision --db \(file)   (crash repair), then move in again"))
            } else if let holder = fleet.assignment(of: assignment.vf), holder.lease != assignment.lease {
                conflicts.append(Conflict(problem: "\(assignment.vf) is assigned to \(assignment.lease) here and to "
                                          + "\(holder.lease) in the fleet database for this host",
                                          resolution: "sriovctl detach \(holder.lease.guest) --network \(holder.lease.network)   "
                                          + "(with the fleet database; the VF is this host's)"))
            }
        }
        guard conflicts.isEmpty else { return .refuse(conflicts) }

        for network in local.networks where fleet.network(named: network.name) == nil { edits.append(.recordNetwork(network)) }
        for guest in local.guests { edits.append(.recordGuest(guest, renamedFrom: nil)) }
        for pf in local.pfs { edits.append(.recordPF(pf)) }
        for key in movingLeases {
            guard let lease = local.lease(key) else { continue }
            edits.append(.createLease(LeaseRecord(key: key, mac: lease.mac, lastVF: lease.lastVF, createdAt: lease.createdAt,
                                                  lastUsedAt: lease.lastUsedAt)))
            if fleet.quarantined(lease.mac) != nil { edits.append(.releaseQuarantine(lease.mac)) }
            summary.leases += 1
        }
        for assignment in local.assignments where fleet.assignment(for: assignment.lease) == nil {
            edits.append(.createAssignment(assignment))
            summary.assignments += 1
        }
        for entry in local.quarantine where fleet.quarantined(entry.mac) == nil && fleet.lease(mac: entry.mac) == nil {
            edits.append(.recordQuarantine(entry))
            summary.quarantined += 1
        }
        edits.append(.journal(JournalEntry(action: "move-in", detail: "moved \(summary.leases) leases, \(summary.assignments) "
                                           + "assigned VFs and \(summary.quarantined) quarantined MACs in from \(file)")))
        return .move(edits, summary)
    }
}
