import FoundationEssentials
import Glibc

/// Read access to a sysfs tree under a root directory (`/sys`, or a fixture in tests,
/// or the host's /sys mounted elsewhere in a container).
///
/// Every path given to it is relative to the root (`bus/pci/devices`). Symlinks are
/// resolved inside the tree, so fixtures made of relative links behave like sysfs.
public struct SysfsTree: Sendable {
    /// The root directory, e.g. `/sys`.
    public let root: String
    /// What takes writes instead of the files under ``root``: `nil` on a real host. Tests on a
    /// fixture tree give a model of the kernel's attribute handlers (a plain file takes any
    /// value; the kernel refuses some with an errno).
    public let writeHandler: (any SysfsWriteHandling)?

    /// Creates a reader rooted at `root`; writes go to `writeHandler` when one is given.
    public init(root: String = "/sys", writeHandler: (any SysfsWriteHandling)? = nil) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        self.writeHandler = writeHandler
    }

    /// The absolute path of `relative`.
    public func path(_ relative: String) -> String {
        relative.isEmpty ? root : root + "/" + relative
    }

    /// True when the entry exists (following links).
    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: path(relative))
    }

    /// The names in a directory, sorted; empty when it is missing or unreadable.
    public func list(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(relative))) ?? []).sorted()
    }

    /// A text attribute with surrounding whitespace removed; `nil` when missing or unreadable.
    public func read(_ relative: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(relative)),
              let text = String(data: data, encoding: .utf8) else { return nil }
        return text.trimmed
    }

    /// The last path component a symlink points to (`driver` → `igb`); `nil` when not a link.
    public func linkTargetName(_ relative: String) -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path(relative)) else {
            return nil
        }
        return target.split(separator: "/").last.map(String.init)
    }

    /// The canonical absolute path of an entry (all links resolved), `nil` when missing.
    public func canonicalPath(_ relative: String) -> String? {
        guard let resolved = realpath(path(relative), nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
