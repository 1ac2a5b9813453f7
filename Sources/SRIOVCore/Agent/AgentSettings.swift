/// The `agent:` section of the config file: how `sriovctl agent` paces itself.
///
/// Every field has a default, so a config without the section runs the agent as documented
/// in docs/agent.md. Durations are whole milliseconds so the core needs no clock types.
public struct AgentSettings: Hashable, Sendable, Codable {
    /// Milliseconds between full passes over every PF (`full_pass_interval`, seconds in the
    /// file). The safety net for changes that send no event. Default 60 s.
    public var fullPassIntervalMilliseconds: Int
    /// Milliseconds a PF must stay quiet after its last event before its pass runs
    /// (`settle_ms`). A PF reset sends hundreds of messages: they make one pass. Default 300 ms.
    public var settleMilliseconds: Int
    /// The longest a PF's pass is put off by a stream of events that never settles
    /// (`max_delay_ms`). Default 5 s.
    public var maxDelayMilliseconds: Int
    /// The flap guard: more than this many repairs of one VF ... (`flap_guard.max_repairs`).
    public var flapMaxRepairs: Int
    /// ... within this many milliseconds (`flap_guard.window`, seconds in the file) and the
    /// agent leaves the VF alone. Default 5 repairs in 60 s.
    public var flapWindowMilliseconds: Int
    /// How long a VF given up on is left alone before the agent tries again
    /// (`flap_guard.hold_off`, seconds in the file). Default 300 s.
    public var flapHoldOffMilliseconds: Int
    /// Milliseconds between cheap checks of every PF's `sriov_numvfs` (`vf_count_check_ms`; 0:
    /// off): some drivers change it without an event (netdevsim, a firmware reset). Default 2 s.
    public var vfCountCheckMilliseconds: Int
    /// Repair a VF assigned to a guest that is running (`repair_running_guests`). Default
    /// true: the state database is the intent. False asks libvirt and leaves running guests' VFs.
    public var repairRunningGuests: Bool

    /// Creates settings; every argument defaults to the documented default.
    public init(fullPassIntervalMilliseconds: Int = 60_000, settleMilliseconds: Int = 300,
                maxDelayMilliseconds: Int = 5_000, flapMaxRepairs: Int = 5, flapWindowMilliseconds: Int = 60_000,
                flapHoldOffMilliseconds: Int = 300_000, vfCountCheckMilliseconds: Int = 2_000,
                repairRunningGuests: Bool = true) {
        self.vfCountCheckMilliseconds = vfCountCheckMilliseconds
        self.fullPassIntervalMilliseconds = fullPassIntervalMilliseconds
        self.settleMilliseconds = settleMilliseconds
        self.maxDelayMilliseconds = maxDelayMilliseconds
        self.flapMaxRepairs = flapMaxRepairs
        self.flapWindowMilliseconds = flapWindowMilliseconds
        self.flapHoldOffMilliseconds = flapHoldOffMilliseconds
        self.repairRunningGuests = repairRunningGuests
    }
}
