/// The distribution, from `/etc/os-release`: decides how the GRUB configuration is rebuilt.
public struct OSRelease: Hashable, Sendable {
    /// `ID` (`debian`, `rocky`, `rhel`...).
    public var id: String
    /// `ID_LIKE`, split (`rhel centos fedora`).
    public var idLike: [String]
    /// `PRETTY_NAME`, `nil` when absent.
    public var prettyName: String?

    /// Creates a release record.
    public init(id: String, idLike: [String] = [], prettyName: String? = nil) {
        self.id = id
        self.idLike = idLike
        self.prettyName = prettyName
    }

    /// Parses os-release text (shell-style `KEY=value` lines, values optionally quoted).
    /// `nil` when there is no `ID`.
    public init?(parsing text: String) {
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let trimmed = line.hostFileTrimmed()
            guard !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
            values[String(trimmed[..<eq])] = String(trimmed[trimmed.index(after: eq)...]).hostFileUnquoted()
        }
        guard let id = values["ID"], !id.isEmpty else { return nil }
        self.init(id: id.lowercased(),
                  idLike: (values["ID_LIKE"] ?? "").lowercased().split(separator: " ").map(String.init),
                  prettyName: values["PRETTY_NAME"])
    }

    /// The family, for boot loader commands.
    public var family: OSFamily {
        let names = [id] + idLike
        if names.contains(where: { ["debian", "ubuntu"].contains($0) }) { return .debian }
        if names.contains(where: { ["rhel", "fedora", "centos", "rocky", "almalinux", "ol"].contains($0) }) {
            return .redHat
        }
        if names.contains(where: { $0 == "suse" || $0.hasPrefix("opensuse") || $0 == "sles" }) { return .suse }
        return .other
    }
}

/// Distribution families with different GRUB tooling.
public enum OSFamily: String, Hashable, Sendable, Codable {
    /// Debian, Ubuntu and derivatives: `update-grub`.
    case debian
    /// RHEL, Rocky, AlmaLinux, CentOS, Fedora: `grub2-mkconfig -o /boot/grub2/grub.cfg` (grubby preferred).
    case redHat = "rhel"
    /// SUSE: `grub2-mkconfig -o /boot/grub2/grub.cfg`.
    case suse
    /// Anything else: `grub-mkconfig -o /boot/grub/grub.cfg`.
    case other
}
