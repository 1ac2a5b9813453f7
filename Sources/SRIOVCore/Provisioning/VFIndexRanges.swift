/// Writes VF indexes compactly: `VFs 0-3, 5, 7-9`.
public enum VFIndexRanges {
    /// `0-3, 5, 7-9` for [0, 1, 2, 3, 5, 7, 8, 9] (sorted and deduplicated first).
    public static func text(_ indexes: [Int]) -> String {
        var ranges: [(first: Int, last: Int)] = []
        for index in Set(indexes).sorted() {
            if let open = ranges.last, index == open.last + 1 {
                ranges[ranges.count - 1].last = index
            } else {
                ranges.append((index, index))
            }
        }
        return ranges.map { $0.first == $0.last ? "\($0.first)" : "\($0.first)-\($0.last)" }.joined(separator: ", ")
    }

    /// `VF 3` or `VFs 0-3, 5`.
    public static func label(_ indexes: [Int]) -> String {
        Set(indexes).count == 1 ? "VF \(indexes[0])" : "VFs \(text(indexes))"
    }
}

/// Writes VF settings for people: `mac 02:5a:00:00:00:01, vlan 100:3, spoofchk on, trust off`.
public enum VFSettingsText {
    /// Every set field, in the order the kernel applies them; `nothing` when empty.
    public static func describe(_ settings: VFSettings) -> String {
        var parts: [String] = []
        if let mac = settings.mac { parts.append("mac \(mac)") }
        if let vlan = settings.vlan { parts.append(vlan == .none ? "no vlan" : "vlan \(vlan)") }
        if let spoofCheck = settings.spoofCheck { parts.append("spoofchk \(spoofCheck ? "on" : "off")") }
        if let trust = settings.trust { parts.append("trust \(trust ? "on" : "off")") }
        if let linkState = settings.linkState { parts.append("link \(linkState)") }
        if let minTxRate = settings.minTxRate { parts.append("min_rate \(minTxRate) Mbps") }
        if let maxTxRate = settings.maxTxRate { parts.append("max_rate \(maxTxRate) Mbps") }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }
}
