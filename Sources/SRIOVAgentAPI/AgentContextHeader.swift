/// Headers a client sends so the agent refuses a change meant for other files than its own
/// (409 naming the header): a command run with `--db` or `--sysfs-root` of a test host must
/// never change the host's VFs through the host's agent.
public enum AgentContextHeader {
    /// The state database the client means.
    public static let database = "Sriovctl-Database"
    /// The config file the client means.
    public static let configFile = "Sriovctl-Config-File"
    /// The sysfs root the client means.
    public static let sysfsRoot = "Sriovctl-Sysfs-Root"
}
