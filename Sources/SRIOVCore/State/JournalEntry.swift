/// One line of the state database's journal: what sriovctl did, to what, and when.
///
/// Written in the same transaction as the change it describes. Audit and provisioning
/// read it; nothing ever rewrites or deletes entries.
public struct JournalEntry: Hashable, Sendable, Codable {
    /// Row id, set by the store.
    public var id: Int64?
    /// When (UTC, ISO 8601, set by the store).
    public var at: String?
    /// What: `attach`, `attach-converge`, `attach-rollback`, `detach`, `forget`, `repair-rollback`, ...
    public var action: String
    /// Guest name.
    public var guest: String?
    /// Network name.
    public var network: String?
    /// The MAC involved.
    public var mac: MACAddress?
    /// The VF involved.
    public var vf: VFKey?
    /// Free text: what changed, the error that caused a rollback, the process.
    public var detail: String

    /// Creates an entry.
    public init(action: String, guest: String? = nil, network: String? = nil, mac: MACAddress? = nil,
                vf: VFKey? = nil, detail: String = "", id: Int64? = nil, at: String? = nil) {
        self.id = id
        self.at = at
        self.action = action
        self.guest = guest
        self.network = network
        self.mac = mac
        self.vf = vf
        self.detail = detail
    }
}
