// The state database part of an attach, on SQLite and on PostgreSQL (docs/benchmarks.md,
// "The fleet store"). Needs root and Debian's postgresql (a private cluster on a unix socket).
//
//   swift run -c release FleetBenchmark [attaches-per-store] [fleet-attaches]
//
// One "attach" is what AttachmentService writes: one transaction that reads the snapshot,
// chooses a MAC and a free VF and records guest, lease and an `intent` assignment; then one
// that marks it `applied`. No sysfs or netlink: only the store is timed.
import Foundation
import SRIOVCore
import SRIOVStore
import SRIOVStorePostgres
import SRIOVTesting

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let perStore = arguments.first ?? 200
let fleetTotal = arguments.dropFirst().first ?? 1_000

let pool = MACPool(first: MACAddress("02:5a:00:00:00:00")!, last: MACAddress("02:5a:00:ff:ff:ff")!)
let network = NetworkDefinition(name: "prod", pfs: [.netdev("eth0")])
let pf = PFRecord(id: PFStableID(device: "0000:3b:00.0", permanentMAC: MACAddress("3c:fd:fe:00:00:01")),
                  kind: .pci, pciAddress: PCIAddress("0000:3b:00.0"), netdev: "eth0")

func attach(_ guest: String, store: any StateStoring) throws {
    let key = LeaseKey(guest: guest, network: "prod")
    let record = try store.update { (snapshot) throws(SRIOVError) -> StateUpdate<AssignmentRecord> in
        let mac = try MACAllocator.allocate(from: pool, avoiding: MACUsage(snapshot: snapshot))
        let taken = Set(snapshot.assignments.map(\.vf.index))
        let index = (0...).first { !taken.contains($0) }!
        let settings = VFSettings(mac: mac, spoofCheck: true, trust: false)
        let record = AssignmentRecord(lease: key, vf: VFKey(pf: pf.id, index: index), vfPCIAddress: nil, state: .intent,
                                      savedState: nil, desired: settings,
                                      interface: GuestInterface(mac: mac, vfPCIAddress: nil, vlan: nil),
                                      owner: OperationOwner(pid: getpid(), startTime: 1, bootID: "bench"), leaseCreated: true)
        var edits: [StateEdit] = snapshot.pf(pf.id) == nil ? [.recordPF(pf)] : []
        edits += [.recordGuest(GuestRecord(name: guest), renamedFrom: nil), .createLease(LeaseRecord(key: key, mac: mac)),
                  .createAssignment(record), .journal(JournalEntry(action: "attach", guest: guest, network: "prod", mac: mac))]
        return StateUpdate(edits: edits, result: record)
    }
    var applied = record
    applied.state = .applied
    applied.owner = nil
    try store.update { (_) throws(SRIOVError) in StateUpdate(edits: [.updateAssignment(applied), .touchLease(key, lastVF: applied.vf)]) }
}

func milliseconds(_ d: Duration) -> Double {
    Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
}

func report(_ name: String, _ samples: [Double]) {
    let sorted = samples.sorted()
    let median = sorted[sorted.count / 2], p90 = sorted[sorted.count * 9 / 10]
    let mean = samples.reduce(0, +) / Double(samples.count)
    print(String(format: "%@: %d attaches, median %.2f ms, p90 %.2f ms, mean %.2f ms", name, samples.count, median, p90, mean))
}

func latency(_ name: String, _ store: any StateStoring) throws {
    try store.update { (_) throws(SRIOVError) in StateUpdate(edits: [.recordNetwork(network)]) }
    let clock = ContinuousClock()
    var samples: [Double] = []
    for i in 0..<perStore {
        let start = clock.now
        try attach("g\(i)", store: store)
        samples.append(milliseconds(clock.now - start))
    }
    report(name, samples)
}

let cluster = try PostgresTestCluster.start()
defer { try? cluster.stop() }
let dir = NSTemporaryDirectory() + "fleet-bench-\(getpid())"
try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: dir) }

// 1. Latency, one host, sequential: SQLite (WAL, synchronous=FULL) against PostgreSQL on a unix socket.
try latency("SQLite (WAL, synchronous=FULL)", SQLiteStateStore(path: dir + "/state.db"))
let host = FleetHost(id: String(repeating: "a", count: 32), name: "bench")
try latency("PostgreSQL 15 (unix socket, fsync=off)", PostgresStateStore(target: cluster.createDatabase(), host: host))

// 2. Three hosts at once, one connection each, sharing one database.
let target = try cluster.createDatabase()
try PostgresStateStore(target: target, host: host).update { (_) throws(SRIOVError) in StateUpdate(edits: [.recordNetwork(network)]) }
let hosts = 3
let perHost = (fleetTotal + hosts - 1) / hosts
final class Outcome: @unchecked Sendable {
    let lock = NSLock()
    var conflicts = 0
    var errors: [String] = []
}
let outcome = Outcome()
let group = DispatchGroup()
let clock = ContinuousClock()
let start = clock.now
for h in 0..<hosts {
    group.enter()
    Thread.detachNewThread {
        defer { group.leave() }
        do {
            let store = try PostgresStateStore(target: target, host: FleetHost(id: String(repeating: "\(h)", count: 32), name: "node\(h)"))
            for i in 0..<perHost { try attach("h\(h)-g\(i)", store: store) }
            outcome.lock.withLock { outcome.conflicts += store.retriedConflicts }
        } catch {
            outcome.lock.withLock { outcome.errors.append("host \(h): \(error)") }
        }
    }
}
group.wait()
let elapsed = milliseconds(clock.now - start) / 1000
let leases = try PostgresStateStore(target: target, host: host, access: .readOnly).read().leases
print(String(format: "fleet: %d hosts x %d attaches in %.1f s: %.0f attaches/s, %d serialization conflicts retried, %d leases, %d distinct MACs",
             hosts, perHost, elapsed, Double(hosts * perHost) / elapsed, outcome.conflicts, leases.count, Set(leases.map(\.mac)).count))
for error in outcome.errors { print("error: \(error)") }
