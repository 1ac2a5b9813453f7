import SRIOVCore
import Testing

/// The agent's statistics as `GET /metrics` reads them.
@Suite("agent metrics: from the agent's statistics")
struct AgentMetricsFromStatisticsTests {
    @Test("passes by trigger, durations, repairs, errors and the last good pass carry over; leases come from the database's numbers")
    func carriesOver() throws {
        var statistics = AgentStatistics()
        statistics.recordPass(trigger: .startup, seconds: 0.003, succeeded: true, endedAt: 1_700_000_000)
        statistics.recordPass(trigger: .event, seconds: 0.2, succeeded: true, endedAt: 1_700_000_010)
        statistics.recordPass(trigger: .api, seconds: 99, succeeded: false, endedAt: 1_700_000_020)
        statistics.recordRepair(pf: "0000:0b:00.0", field: "mac")
        statistics.recordRepair(pf: "0000:0b:00.0", field: "mac")
        statistics.netlinkErrors = 3
        let pool = MACPool(first: try #require(MACAddress("02:00:00:00:00:00")), last: try #require(MACAddress("02:00:00:00:00:09")))
        let leases = AgentLeaseNumbers(snapshot: StateSnapshot(), pool: pool)

        let snapshot = AgentMetricsSnapshot(statistics: statistics, leases: leases)

        #expect(snapshot.passesByTrigger == [.startup: 1, .event: 1, .api: 1])
        #expect(snapshot.passDurations.count == 3)
        #expect(snapshot.passDurations.upperBounds == AgentStatistics.passDurationBuckets)
        #expect(snapshot.passDurations.cumulativeCounts.first == 1)        // 3 ms ≤ 5 ms
        #expect(snapshot.passDurations.cumulativeCounts.last == 2)         // 99 s is over the last bound
        #expect(snapshot.passDurations.overflowCount == 1)
        #expect(abs(snapshot.passDurations.sum - 99.203) < 0.000_001)
        #expect(snapshot.lastSuccessfulPass == 1_700_000_010)
        #expect(snapshot.repairs == [.init(pf: "0000:0b:00.0", field: "mac", count: 2)])
        #expect(snapshot.netlinkErrors == 3)
        #expect(snapshot.freeMACsInPool == 10)
        #expect(AgentMetricsSnapshot(statistics: statistics, leases: nil).freeMACsInPool == 0)
    }
}
