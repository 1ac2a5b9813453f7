/// One change to the state database, produced by pure planning code and applied by a
/// ``StateStoring`` inside the transaction that read the snapshot.
///
/// The store enforces the same constraints for every implementation: a MAC is leased at
/// most once, a VF is assigned at most once, a lease has at most one assignment, a lease
/// needs its guest and network, an assignment needs its lease and PF. A violated
/// constraint throws ``SRIOVError/Code/busy`` and nothing of the update is written.
public enum StateEdit: Hashable, Sendable, Codable {
    /// Inserts or replaces a network definition (from the config file), by name.
    case recordNetwork(NetworkDefinition)
    /// Inserts a PF, or updates its kind, PCI address and netdev when known.
    case recordPF(PFRecord)
    /// Inserts a guest, or sets the UUID of a guest by that name. With `renamedFrom`, the
    /// guest previously known under that name takes the new name (libvirt `domrename`).
    case recordGuest(GuestRecord, renamedFrom: String?)
    /// Creates a lease. Its MAC must be neither leased nor quarantined.
    case createLease(LeaseRecord)
    /// Records that a lease was just used, on `lastVF`.
    case touchLease(LeaseKey, lastVF: VFKey?)
    /// Drops a lease and quarantines its MAC (`detach --forget`).
    case forgetLease(LeaseKey)
    /// Drops a lease without quarantine: only for a lease created by an attach that was
    /// rolled back, whose MAC was never given to a guest.
    case deleteLease(LeaseKey)
    /// Takes a MAC out of quarantine (its former guest takes it back).
    case releaseQuarantine(MACAddress)
    /// Quarantines a MAC no lease holds, as recorded elsewhere (moving a host's state in).
    case recordQuarantine(QuarantinedMAC)
    /// Creates an assignment (normally in state `intent`).
    case createAssignment(AssignmentRecord)
    /// Replaces the assignment of the same lease (state, owner, desired settings...).
    case updateAssignment(AssignmentRecord)
    /// Deletes the assignment of a lease, freeing its VF.
    case deleteAssignment(LeaseKey)
    /// Appends a journal entry.
    case journal(JournalEntry)
}
