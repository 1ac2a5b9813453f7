/// The kernel's and libvirt's CPU (and node) list syntax: `0-3,8,10-11`, and libvirt's
/// exclusions `0-7,^2` (`/sys/devices/system/node/node0/cpulist`, `<vcpu cpuset>`,
/// `<numatune><memory nodeset>`).
public enum CPUList {
    /// The numbers in `text`, or `nil` when it is not such a list (an empty list is `[]`).
    /// Numbers are plain decimal digits up to 65535; a range's end is not before its start.
    public static func parse(_ text: String) -> Set<Int>? {
        var included: Set<Int> = []
        var excluded: Set<Int> = []
        let trimmed = text.filter { !$0.isWhitespace }
        if trimmed.isEmpty { return [] }
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            var item = part
            let exclude = item.hasPrefix("^")
            if exclude { item = item.dropFirst() }
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                  let first = number(bounds[0]), let last = bounds.count == 2 ? number(bounds[1]) : first,
                  first <= last else { return nil }
            if exclude { excluded.formUnion(first...last) } else { included.formUnion(first...last) }
        }
        return included.subtracting(excluded)
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text),
              value <= 65535 else { return nil }
        return value
    }
}
