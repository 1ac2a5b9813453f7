import Foundation
import Glibc

/// The private bind directories (``AgentSocketPath``) that an agent killed between binding its
/// socket and linking it to the final path (kill -9, a crash) leaves beside that path:
/// `.agent-sock-PID-XXXXXX` holding a socket nobody listens on. The agent removes such
/// leftovers at start, and only those that are certainly its own and dead:
/// - the name has the pattern (with the PID of the agent that made it; `.agent-sock-XXXXXX`,
///   without one, from agents before the PID was part of the name);
/// - a directory, not a link, owned by this user, mode 0700;
/// - the agent that made it is not running (no process has that PID; `kill(PID, 0)`);
/// - it holds nothing or only `agent.sock`, a socket owned by this user that refuses
///   connections.
///
/// Anything else is left as it is, without a word: it may belong to an agent starting right
/// now, or to someone else.
enum AgentSocketLeftovers {
    /// What every bind directory's name starts with.
    static let prefix = ".agent-sock-"

    /// The `mkdtemp` template for this process's bind directory in `parent`.
    static func template(in parent: String) -> String { parent + "/" + prefix + "\(getpid())-XXXXXX" }

    /// Removes the leftovers in `parent` and returns their paths.
    @discardableResult
    static func removeStale(in parent: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        var removed: [String] = []
        for name in names.sorted() where isLeftoverName(name) {
            let directory = parent + "/" + name
            guard isOwnPrivateDirectory(directory), let entries = try? FileManager.default.contentsOfDirectory(atPath: directory),
                  entries.allSatisfy({ $0 == "agent.sock" }) else { continue }
            let socket = directory + "/agent.sock"
            if !entries.isEmpty {
                guard let info = AgentSocketPath.lstatInfo(socket), (info.st_mode & S_IFMT) == S_IFSOCK,
                      info.st_uid == geteuid(), case .refused = AgentClient.probe(socket) else { continue }
                unlink(socket)
            }
            if rmdir(directory) == 0 { removed.append(directory) }
        }
        return removed
    }

    /// `.agent-sock-PID-XXXXXX` of a process that is not running, or the older `.agent-sock-XXXXXX`.
    static func isLeftoverName(_ name: String) -> Bool {
        guard name.hasPrefix(prefix) else { return false }
        let rest = name.dropFirst(prefix.count)
        let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return rest.count == 6
        case 2:
            guard parts[1].count == 6, let pid = pid_t(parts[0]), pid > 0, pid != getpid() else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        default:
            return false
        }
    }

    private static func isOwnPrivateDirectory(_ path: String) -> Bool {
        guard let info = AgentSocketPath.lstatInfo(path) else { return false }
        return (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == geteuid() && (info.st_mode & 0o7777) == 0o700
    }
}
