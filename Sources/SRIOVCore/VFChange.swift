/// One VF's change, as handed to ``VFLinkControlling/apply(_:on:)``.
public struct VFChange: Hashable, Sendable, Codable {
    /// VF index.
    public var index: Int
    /// What to set.
    public var settings: VFSettings

    /// Creates a change.
    public init(index: Int, settings: VFSettings) {
        self.index = index
        self.settings = settings
    }
}
