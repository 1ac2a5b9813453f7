/// The state database as the core sees it: leases, assignments, PFs, networks, the MAC
/// quarantine and the journal. Implemented over SQLite by `SRIOVStore.SQLiteStateStore`;
/// `SRIOVTesting.InMemoryStateStore` is the fake.
///
/// Reading gives a ``StateSnapshot``. Writing goes through ``update(_:)``: the body sees
/// the snapshot as of the start of an exclusive write transaction (SQLite `BEGIN
/// IMMEDIATE`) and returns the edits to make, so a choice made from the snapshot (a free
/// VF, a free MAC) and the write that records it cannot interleave with another
/// process's. Everything is committed together or not at all.
public protocol StateStoring: Sendable {
    /// Everything but the journal, from one read transaction.
    func read() throws(SRIOVError) -> StateSnapshot

    /// Runs `body` inside one exclusive write transaction and applies the edits it returns.
    ///
    /// When `body` throws, or an edit breaks a constraint (see ``StateEdit``), nothing is
    /// written and the error is rethrown. Keep `body` short and free of I/O: other
    /// processes wait (up to the busy timeout) while it runs.
    func update<Result>(_ body: (StateSnapshot) throws(SRIOVError) -> StateUpdate<Result>) throws(SRIOVError) -> Result

    /// Journal entries, newest first; `limit` caps the count (`nil`: all).
    func journal(limit: Int?) throws(SRIOVError) -> [JournalEntry]
}

/// What the body of ``StateStoring/update(_:)`` returns: the edits to apply, in order, and
/// a value handed back to the caller after the commit.
public struct StateUpdate<Result> {
    /// Edits to apply in order.
    public var edits: [StateEdit]
    /// The caller's result.
    public var result: Result

    /// Creates an update.
    public init(edits: [StateEdit], result: Result) {
        self.edits = edits
        self.result = result
    }
}

extension StateUpdate where Result == Void {
    /// An update with edits only.
    public init(edits: [StateEdit]) { self.init(edits: edits, result: ()) }
}
