import SRIOVCore
import Testing

@Suite("agent metrics: lease numbers")
struct AgentLeaseNumbersTests {
    @Test("leases count per network; the pool's free MACs leave out leased and quarantined ones inside it")
    func numbers() throws {
        let pool = MACPool(first: try #require(MACAddress("02:5a:00:00:00:00")), last: try #require(MACAddress("02:5a:00:00:00:09")))
        let snapshot = StateSnapshot(
            leases: [LeaseRecord(key: LeaseKey(guest: "a", network: "prod"), mac: try #require(MACAddress("02:5a:00:00:00:00"))),
                     LeaseRecord(key: LeaseKey(guest: "b", network: "prod"), mac: try #require(MACAddress("02:5a:00:00:00:01"))),
                     LeaseRecord(key: LeaseKey(guest: "a", network: "lab"), mac: try #require(MACAddress("52:54:00:00:00:01")))],
            quarantine: [QuarantinedMAC(mac: try #require(MACAddress("02:5a:00:00:00:05")), formerGuest: "c", network: "prod")])
        let numbers = AgentLeaseNumbers(snapshot: snapshot, pool: pool)
        #expect(numbers.leasesPerNetwork == ["prod": 2, "lab": 1])
        #expect(numbers.freeMACsInPool == 7)
    }
}
