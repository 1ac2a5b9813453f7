/// The reference semantics of ``StateEdit``: how each edit changes a snapshot and which
/// constraint it checks. The in-memory fake store uses this directly; the SQLite store
/// implements the same rules in SQL (its tests check both agree).
extension StateSnapshot {
    /// Applies `edits` in order. Throws ``SRIOVError/Code/busy`` on a broken uniqueness
    /// constraint and ``SRIOVError/Code/notFound`` on a missing referenced row; on a throw
    /// `self` is unchanged. Journal entries are returned, stamped with `now`.
    public mutating func apply(_ edits: [StateEdit], now: String) throws(SRIOVError) -> [JournalEntry] {
        var copy = self
        var journal: [JournalEntry] = []
        for edit in edits {
            if let entry = try copy.applyOne(edit, now: now) { journal.append(entry) }
        }
        copy.sortCanonically()
        self = copy
        return journal
    }

    /// Puts every list in the order the stores return them: networks and guests by name,
    /// PFs by identity, leases and assignments by lease key, quarantine by MAC.
    public mutating func sortCanonically() {
        networks.sort { $0.name < $1.name }
        pfs.sort { $0.id < $1.id }
        guests.sort { $0.name < $1.name }
        leases.sort { $0.key < $1.key }
        assignments.sort { $0.lease < $1.lease }
        quarantine.sort { $0.mac < $1.mac }
    }

    private mutating func applyOne(_ edit: StateEdit, now: String) throws(SRIOVError) -> JournalEntry? {
        switch edit {
        case .recordNetwork(let network):
            networks.removeAll { $0.name == network.name }
            networks.append(network)
            networks.sort { $0.name < $1.name }

        case .recordPF(let record):
            if let i = pfs.firstIndex(where: { $0.id.matches(record.id) }) {
                pfs[i].kind = record.kind
                pfs[i].pciAddress = record.pciAddress ?? pfs[i].pciAddress
                pfs[i].netdev = record.netdev ?? pfs[i].netdev
                if pfs[i].id.permanentMAC == nil { pfs[i].id.permanentMAC = record.id.permanentMAC }
            } else {
                pfs.append(record)
            }

        case .recordGuest(let record, let renamedFrom):
            if let old = renamedFrom, old != record.name, let i = guests.firstIndex(where: { $0.name == old }) {
                guard guest(named: record.name) == nil else {
                    throw SRIOVError(.busy, "cannot rename guest '\(old)' to '\(record.name)': that name is taken")
                }
                guests[i].name = record.name
                for l in leases.indices where leases[l].key.guest == old { leases[l].key.guest = record.name }
                for a in assignments.indices where assignments[a].lease.guest == old {
                    assignments[a].lease.guest = record.name
                }
            }
            if let uuid = record.uuid, let other = guest(uuid: uuid), other.name != record.name {
                throw SRIOVError(.busy, "guest UUID \(uuid) is already recorded for guest '\(other.name)'")
            }
            if let i = guests.firstIndex(where: { $0.name == record.name }) {
                if let uuid = record.uuid { guests[i].uuid = uuid.lowercased() }
            } else {
                guests.append(GuestRecord(name: record.name, uuid: record.uuid?.lowercased()))
            }

        case .createLease(var lease):
            guard guest(named: lease.key.guest) != nil else {
                throw SRIOVError(.notFound, "lease \(lease.key): guest '\(lease.key.guest)' is not recorded")
            }
            guard network(named: lease.key.network) != nil else {
                throw SRIOVError(.notFound, "lease \(lease.key): network '\(lease.key.network)' is not recorded")
            }
            if self.lease(lease.key) != nil {
                throw SRIOVError(.busy, "\(lease.key) already has a lease")
            }
            if let holder = self.lease(mac: lease.mac) {
                throw SRIOVError(.busy, "MAC \(lease.mac) is already leased to guest '\(holder.key.guest)'")
            }
            if let q = quarantined(lease.mac) {
                throw SRIOVError(.busy, "MAC \(lease.mac) is quarantined (released by guest '\(q.formerGuest)')")
            }
            lease.createdAt = lease.createdAt ?? now
            leases.append(lease)

        case .touchLease(let key, let lastVF):
            guard let i = leases.firstIndex(where: { $0.key == key }) else {
                throw SRIOVError(.notFound, "no lease for \(key)")
            }
            leases[i].lastUsedAt = now
            if let lastVF { leases[i].lastVF = lastVF }

        case .forgetLease(let key), .deleteLease(let key):
            guard let i = leases.firstIndex(where: { $0.key == key }) else {
                throw SRIOVError(.notFound, "no lease for \(key)")
            }
            guard assignment(for: key) == nil else {
                throw SRIOVError(.busy, "the lease of \(key) still has a VF assigned")
            }
            if let other = assignmentsElsewhere(for: key).first {
                throw SRIOVError(.busy, "the lease of \(key) is still attached on host \(other.host) (\(other.vf))")
            }
            let lease = leases.remove(at: i)
            if case .forgetLease = edit {
                quarantine.append(QuarantinedMAC(mac: lease.mac, formerGuest: key.guest,
                                                 formerGuestUUID: guest(named: key.guest)?.uuid,
                                                 network: key.network, releasedAt: now))
            }

        case .releaseQuarantine(let mac):
            quarantine.removeAll { $0.mac == mac }

        case .recordQuarantine(var entry):
            if let holder = lease(mac: entry.mac) {
                throw SRIOVError(.busy, "MAC \(entry.mac) is leased to guest '\(holder.key.guest)'; it cannot be quarantined")
            }
            entry.releasedAt = entry.releasedAt ?? now
            quarantine.removeAll { $0.mac == entry.mac }
            quarantine.append(entry)

        case .createAssignment(var record):
            guard lease(record.lease) != nil else { throw SRIOVError(.notFound, "no lease for \(record.lease)") }
            guard pf(record.vf.pf) != nil else {
                throw SRIOVError(.notFound, "PF \(record.vf.pf) is not recorded")
            }
            if assignment(for: record.lease) != nil {
                throw SRIOVError(.busy, "\(record.lease) already has a VF assigned")
            }
            if let holder = assignment(of: record.vf) {
                throw SRIOVError(.busy, "\(record.vf) is already assigned to \(holder.lease)")
            }
            record.createdAt = now
            record.updatedAt = now
            assignments.append(record)

        case .updateAssignment(var record):
            guard let i = assignments.firstIndex(where: { $0.lease == record.lease }) else {
                throw SRIOVError(.notFound, "\(record.lease) has no VF assigned")
            }
            if let holder = assignment(of: record.vf), holder.lease != record.lease {
                throw SRIOVError(.busy, "\(record.vf) is already assigned to \(holder.lease)")
            }
            record.createdAt = assignments[i].createdAt
            record.updatedAt = now
            assignments[i] = record

        case .deleteAssignment(let key):
            guard let i = assignments.firstIndex(where: { $0.lease == key }) else {
                throw SRIOVError(.notFound, "\(key) has no VF assigned")
            }
            assignments.remove(at: i)

        case .journal(var entry):
            entry.at = now
            return entry
        }
        return nil
    }
}
