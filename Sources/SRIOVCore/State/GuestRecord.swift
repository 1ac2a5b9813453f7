/// A guest the state database knows, by libvirt domain name and (when known) UUID.
///
/// The name is the key users type; the UUID, once known, is what tells a renamed guest
/// (same UUID) from a new guest that reuses an old name (different UUID).
public struct GuestRecord: Hashable, Sendable, Codable {
    /// libvirt domain name (validated by ``GuestNameRules``).
    public var name: String
    /// libvirt domain UUID in lower case, `nil` until known.
    public var uuid: String?

    /// Creates a record.
    public init(name: String, uuid: String? = nil) {
        self.name = name
        self.uuid = uuid
    }
}
