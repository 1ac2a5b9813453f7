import ArgumentParser

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "Where sysfs is mounted (for containers and tests).")
    var sysfsRoot: String = "/sys"

    @Option(name: .customLong("db"), help: ArgumentHelp(
        "The SQLite state database (created 0600 when missing; default /var/lib/sriovctl/state.db).",
        discussion: "Given, it wins over the config's state: url.", valueName: "db"))
    var dbOption: String?

    /// The state database when `--db` is not given and the config names none.
    static let defaultDatabase = "/var/lib/sriovctl/state.db"

    /// The SQLite state database: `--db`, else the default path. The config's `state:` can name
    /// another: commands find the one to use as ``HostServices/databasePath``.
    var db: String { dbOption ?? Self.defaultDatabase }

    /// True when `--db` was on the command line (it wins over the config's `state:`).
    var dbGiven: Bool { dbOption != nil }

    @Option(name: .customLong("config-file"), help: "The declarative config file.")
    var configFile: String = "/etc/sriovctl/config.yaml"

    @Option(name: .customLong("agent-socket"), help: ArgumentHelp(
        "The agent's socket (default /run/sriovctl/agent.sock, used only with the default --db, --sysfs-root and --config-file).",
        discussion: "attach, detach, leases, provision and audit --fix go through the agent when it answers there; a missing socket or no listener means working directly."))
    var agentSocket: String?

    @Flag(help: "Work directly, even when the agent answers on its socket.")
    var direct = false

    @Flag(name: .shortAndLong, help: "Log what is done to stderr.")
    var verbose = false
}
