/// One entry of a network's `pfs:` list: a PF and, optionally, the VF indexes of it that
/// serve the network (a pool by range).
///
/// The syntax is the sriov-network-operator's `pfNames`: `eth0`, `eth0#0-7`,
/// `0000:3b:00.1#8-31`, `pci:0000:3b:00.1#8-31` (the `pci:` prefix says the rest is a PCI
/// address), or a permanent MAC. `#N` alone is the range N-N.
public struct NetworkPFEntry: Hashable, Sendable {
    /// Which PF.
    public var selector: PFSelector
    /// The VF indexes of the PF that belong to the network; `nil` for every VF.
    public var vfRange: ClosedRange<Int>?

    /// Creates an entry.
    public init(selector: PFSelector, vfRange: ClosedRange<Int>? = nil) {
        self.selector = selector
        self.vfRange = vfRange
    }

    /// Parses `eth0#0-7` and the other forms above. Throws `.invalidConfig` (without a
    /// location: the caller adds its `file:line`) for an empty PF name, a range that is not
    /// `N` or `N-M` of plain decimal VF indexes, or one whose end is before its start.
    public init(parsing text: String) throws(SRIOVError) {
        var name = Substring(text)
        var range: ClosedRange<Int>?
        if let hash = text.firstIndex(of: "#") {
            name = text[..<hash]
            range = try Self.range(String(text[text.index(after: hash)...]), entry: text)
        }
        if name.hasPrefix("pci:") {
            let address = name.dropFirst(4)
            guard let pci = PCIAddress(String(address)) else {
                throw SRIOVError(.invalidConfig, "'\(TextRules.escaped(text))': '\(TextRules.escaped(String(address)))' is not a PCI address (0000:3b:00.1)")
            }
            self.init(selector: .pciAddress(pci), vfRange: range)
            return
        }
        guard !name.isEmpty else {
            throw SRIOVError(.invalidConfig, "'\(TextRules.escaped(text))' names no PF before '#'")
        }
        self.init(selector: PFSelector(parsing: String(name)), vfRange: range)
    }

    private static func range(_ text: String, entry: String) throws(SRIOVError) -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else {
            throw SRIOVError(.invalidConfig, "'\(TextRules.escaped(entry))': the VF range must be N or N-M (eth0#0-7)")
        }
        let first: Int, last: Int
        do {
            first = try NumberField.vfIndex.parse(String(parts[0]))
            last = parts.count == 2 ? try NumberField.vfIndex.parse(String(parts[1])) : first
        } catch {
            throw SRIOVError(.invalidConfig, "'\(TextRules.escaped(entry))': the VF range must be N or N-M of VF indexes (\(error.message))")
        }
        guard first <= last else {
            throw SRIOVError(.invalidConfig, "'\(TextRules.escaped(entry))': the VF range \(first)-\(last) ends before it starts")
        }
        return first...last
    }

    /// `eth0#0-7`, or `eth0` without a range.
    public var description: String {
        selector.description + (vfRange.map { "#" + VFPoolRange.text($0) } ?? "")
    }
}

/// How VF ranges read in messages.
public enum VFPoolRange {
    /// `0-7`, or `3` for a one-VF range.
    public static func text(_ range: ClosedRange<Int>) -> String {
        range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }

    /// `VFs 0-7` or `every VF` for `nil`.
    public static func label(_ range: ClosedRange<Int>?) -> String {
        guard let range else { return "every VF" }
        return range.lowerBound == range.upperBound ? "VF \(range.lowerBound)" : "VFs \(text(range))"
    }
}
