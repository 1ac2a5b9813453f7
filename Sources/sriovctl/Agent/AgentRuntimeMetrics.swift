import SRIOVCore
import SRIOVStore

/// The agent's numbers for `GET /metrics`: its ``AgentStatisticsRecorder`` and, read at each
/// scrape, the leases of its state database against the config's `mac_pool`.
struct AgentRuntimeMetrics: AgentMetricsSource {
    let runtime: AgentRuntime

    func metricsSnapshot() async -> AgentMetricsSnapshot {
        AgentMetricsSnapshot(statistics: runtime.statistics.snapshot(), leases: leaseNumbers())
    }

    /// `nil` when the database cannot be read (the lease metrics are then left out, not wrong).
    private func leaseNumbers() -> AgentLeaseNumbers? {
        let services = HostServices(options: runtime.options, label: "sriovctl.agent.metrics")
        let pool = runtime.config.macPool
        do throws(SRIOVError) {
            guard try services.stateExists() else {
                return AgentLeaseNumbers(snapshot: StateSnapshot(), pool: pool)
            }
            return AgentLeaseNumbers(snapshot: try services.stateReader().read(), pool: pool)
        } catch {
            return nil
        }
    }
}
