// Times the pure audit core on a generated host: 1,000 leases, 4 PFs x 256 VFs, 900 of the
// VFs assigned and every libvirt guest defined, with some drift and stale VFs so the rules
// and renderers have findings to report. Not a test: `make bench-audit` runs it and prints
// milliseconds for docs/benchmarks.md.
//
//   swift run -c release AuditBenchmark [runs]
import Foundation
import SRIOVCore
import SRIOVTesting

let runs = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 20
let input = AuditSnapshots.generated(leaseCount: 1000, pfCount: 4, vfsPerPF: 256, assigned: 900, breakEvery: 25)
var second = AuditSnapshots.generated(hostName: "host02", leaseCount: 1000, pfCount: 4, vfsPerPF: 256,
                                      assigned: 900, breakEvery: 25)
// The second host shares 10 MACs with the first, so the merge has cross-host findings.
for i in 10..<second.leases.count { second.leases[i].mac = MACAddress(integer: 0x02_5a_30_00_00_00 + UInt64(i)) }

/// Median wall time of `body` over `runs` runs, in milliseconds.
func measure(_ name: String, _ body: () throws -> Void) rethrows {
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    samples.sort()
    let median = samples[samples.count / 2]
    print("\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) median \(String(format: "%8.2f", median)) ms"
          + "   min \(String(format: "%8.2f", samples[0])) ms   max \(String(format: "%8.2f", samples[samples.count - 1])) ms")
}

let report = AuditEngine.audit(input, generatedAt: "2026-01-01T00:00:00Z", generator: "bench")
let encoder = JSONEncoder()
encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
let json = try encoder.encode(report)
let html = AuditHTMLRenderer.render(report)
let other = AuditEngine.audit(second, generator: "bench")
print("snapshot: \(input.leases.count) leases, \(input.assignments.count) assignments, "
      + "\(input.pfs.count) PFs x \(input.pfs[0].vfs.count) VFs, \(input.guests?.count ?? 0) guests; "
      + "\(report.summary.text); JSON \(json.count / 1024) KiB, HTML \(html.utf8.count / 1024) KiB; \(runs) runs")

measure("audit (all rules + inventory)") { _ = AuditEngine.audit(input) }
measure("repair plan (--fix)") { _ = AuditRepairPlan.plan(input, forceRunning: true) }
measure("render table") { _ = AuditTableRenderer.render(report) }
measure("render HTML") { _ = AuditHTMLRenderer.render(report) }
try measure("encode JSON") { _ = try encoder.encode(report) }
try measure("decode JSON") { _ = try JSONDecoder().decode(AuditReport.self, from: json) }
try measure("merge 2 hosts (cross-host rule)") {
    _ = try AuditFleetMerge.merge([.init(name: "a", report: report), .init(name: "b", report: other)], generator: "bench")
}
