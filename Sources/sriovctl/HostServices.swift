import FoundationEssentials  // ProcessInfo
import Logging
import SRIOVConfigFile
import SRIOVCore
import SRIOVLinux
import SRIOVLinuxPrograms
import SRIOVFrontEnd

/// The composition root: builds the adapters a command needs from the global options.
struct HostServices {
    let options: GlobalOptions
    let logger: Logger

    /// The environment test-only switches are read from (``unprogrammedVFs``).
    let environment: [String: String]

    /// Where the state lives (`--db` or the config's `state:`), worked out on first use.
    private let stateLocation: StateLocationChoice

    /// The fleet's PostgreSQL store when the config's `state:` names one and `--db` is not given.
    var fleet: FleetState? { stateLocation.choice().fleet }

    /// The SQLite state database: `--db`, else the config's `state: { url: sqlite:///… }`, else
    /// the default file (also the default when the state is a fleet database).
    var databasePath: String { stateLocation.choice().databasePath }

    /// `linkControl` replaces rtnetlink (tests hand an in-memory kernel); `nil`: rtnetlink.
    init(options: GlobalOptions, label: String = "sriovctl",
         environment: [String: String] = ProcessInfo.processInfo.environment,
         linkControl: (any VFLinkControlling)? = nil) {
        self.options = options
        self.stateLocation = StateLocationChoice(options: options)
        self.environment = environment
        let logger = Logger(label: label)
        self.logger = logger
        self.linkControl = linkControl ?? RTNetlinkVFControl(logger: logger, sysfs: SysfsTree(root: options.sysfsRoot))
    }

    /// The sysfs tree.
    var sysfs: SysfsTree { SysfsTree(root: options.sysfsRoot) }

    /// sysfs discovery.
    var discovery: any HostDiscovering { SysfsHostDiscovery(sysfs: sysfs) }

    /// The config file, loaded and checked; an old spelling it still accepts is noted on stderr.
    /// Without `mac_pool:` and without a fleet database, allocation starts in this host's
    /// slice of the default pool (from `/etc/machine-id`; the whole pool when it is unreadable).
    func loadConfig() throws(SRIOVError) -> HostConfig {
        var config = try ConfigFileLoader.load(path: options.configFile, deprecation: { printError("note: \($0)") })
        let fleet = stateLocation.choice(config: config).fleet
        if !config.macPoolGiven && fleet == nil, let id = FleetState.machineID() {
            config.macPool = config.macPool.startingInHostSlice(machineID: id)
        }
        return config
    }

    /// rtnetlink VF control: one per command, so the command reads and programs every PF
    /// over one netlink socket (opened on first use).
    let linkControl: any VFLinkControlling

    /// `vf apply` (and the agent's `POST /v1/pfs/{pf}/vfs`) over this command's sysfs and netlink.
    var vfApplyService: VFApplyService { VFApplyService(discovery: discovery, links: linkControl) }

    /// Provisioning over sysfs, modprobe.d under `etcRoot`, and (with `netlink`) rtnetlink.
    func provisioningService(etcRoot: String, netlink: Bool) -> ProvisioningService {
        ProvisioningService(discovery: discovery, links: netlink ? linkControl : nil,
                            devices: SysfsSRIOVDeviceControl(sysfs: sysfs),
                            modules: ModprobeModuleControl(sysfs: sysfs, etcRoot: etcRoot),
                            hostDevices: SysfsHostDevices(sysfs: sysfs), liveness: ProcProcessLiveness())
    }
}
