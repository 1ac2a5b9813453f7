import SRIOVConfigFile
import SRIOVCore
import Synchronization

/// Where a command's state lives: `--db`, else the config's `state:` (an SQLite file or a
/// fleet database), else the default file. Worked out once, on first use: a command that never
/// touches the state (`vf apply`, `vf set`, `list`, `doctor`, a metrics scrape) does not read
/// the config file for it, and one that loads the config anyway (``HostServices/loadConfig()``)
/// hands that over instead of the file being parsed a second time.
final class StateLocationChoice: Sendable {
    /// What was chosen.
    struct Choice: Sendable {
        /// The SQLite file (`--db`, `state: { url: sqlite:///… }`, or the default).
        var databasePath: String
        /// The fleet's PostgreSQL store when the config's `state:` names one and `--db` is not given.
        var fleet: FleetState?
    }

    private let dbOption: String?
    private let configFile: String
    private let chosen = Mutex<Choice?>(nil)

    init(options: GlobalOptions) {
        dbOption = options.dbOption
        configFile = options.configFile
    }

    /// The choice; the first call reads the config file, unless it is handed `config`, the file
    /// just loaded. An unreadable config is reported by the commands that need it; here it means
    /// the default SQLite file.
    func choice(config: HostConfig? = nil) -> Choice {
        chosen.withLock { chosen in
            if let chosen { return chosen }
            let made: Choice
            if let dbOption {
                made = Choice(databasePath: dbOption)
            } else {
                let state = (config ?? (try? ConfigFileLoader.load(path: configFile)))?.state
                switch state?.location {
                case .sqlite(let path): made = Choice(databasePath: path)
                case .postgres(let target): made = Choice(databasePath: GlobalOptions.defaultDatabase,
                                                          fleet: state.map { FleetState(target: target, settings: $0) })
                case nil: made = Choice(databasePath: GlobalOptions.defaultDatabase)
                }
            }
            chosen = made
            return made
        }
    }
}
