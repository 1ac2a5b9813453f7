/// The one helper behind the documented JSON outputs (`list --json`, `vf show --json`,
/// `doctor --json`, …) where every key is always present: a `nil` property is written as an
/// explicit `null`, where synthesized Codable would leave the key out.
///
/// A type lists its keys in a `CodingKeys` enum (raw values the JSON names, each the name of
/// a stored property but for letter case: `vendorId` for `vendorID`) and forwards its
/// `encode(to:)` here in one line. The properties are read by reflection in the order of
/// `CodingKeys`; a key without such a property, or a property that is not Encodable, is an
/// encoding error (a test catches it), never a silently missing key. A JSON name that is not a
/// property's name says which property it is in ``renamedProperties``.
protocol ExplicitNullEncoding: Encodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
    /// The stored property behind each JSON name that is not that property's name but for
    /// letter case (`["spoofchk": "spoofCheck"]`); empty by default.
    static var renamedProperties: [String: String] { get }
}

extension ExplicitNullEncoding {
    static var renamedProperties: [String: String] { [:] }

    /// Encodes every `CodingKeys` property of `self`, `nil` as `null`.
    func encodeWithExplicitNulls(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let properties = Dictionary(Mirror(reflecting: self).children.compactMap { child in
            child.label.map { ($0.lowercased(), child.value) }
        }, uniquingKeysWith: { first, _ in first })
        for key in CodingKeys.allCases {
            let name = Self.renamedProperties[key.stringValue] ?? key.stringValue
            guard let value = properties[name.lowercased()] else {
                throw EncodingError.invalidValue(self, .init(codingPath: encoder.codingPath + [key],
                                                             debugDescription: "no stored property '\(name)'"))
            }
            let unwrapped = Mirror(reflecting: value)
            if unwrapped.displayStyle == .optional {
                guard let wrapped = unwrapped.children.first?.value else {
                    try container.encodeNil(forKey: key)
                    continue
                }
                try encode(wrapped, key, into: &container, path: encoder.codingPath)
            } else {
                try encode(value, key, into: &container, path: encoder.codingPath)
            }
        }
    }

    private func encode(_ value: Any, _ key: CodingKeys, into container: inout KeyedEncodingContainer<CodingKeys>,
                        path: [any CodingKey]) throws {
        guard let encodable = value as? any Encodable else {
            throw EncodingError.invalidValue(value, .init(codingPath: path + [key], debugDescription: "not Encodable"))
        }
        try container.encode(encodable, forKey: key)
    }
}
