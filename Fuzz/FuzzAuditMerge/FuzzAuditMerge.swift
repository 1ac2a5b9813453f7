// libFuzzer target: a JSON audit report as `audit --merge FILE` reads it: JSONDecoder into
// AuditReport (its own init(from:)), AuditFleetMerge.merge with a second host, then every
// --format the merged report can be written in (table, JSON, HTML).
// Built only by `make fuzz` (docs/fuzzing.md).
import Foundation  // also in the stub: SRIOVCore's rounding needs libm, which Foundation links
#if FUZZING
import SRIOVCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuditMerge(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let report = try? JSONDecoder().decode(AuditReport.self, from: Data(bytes: data, count: size)) else {
        return 0
    }
    // The same report as a second file, its hosts renamed, so cross-host findings are computed.
    var other = report
    other.hosts = other.hosts.map { var section = $0; section.host += "-b"; return section }
    for sources in [[report], [report, other]] {
        let named = sources.enumerated().map { AuditFleetMerge.Source(name: "report\($0.offset).json", report: $0.element) }
        guard let merged = try? AuditFleetMerge.merge(named, generator: "fuzz") else { continue }
        _ = AuditTableRenderer.render(merged)
        _ = AuditHTMLRenderer.render(merged)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        _ = try? encoder.encode(merged)
    }
    return 0
}
#else
/// Without `-DFUZZING` (a plain `swift build`) this is a stub that says how to build it.
@main
enum FuzzAuditMerge {
    static func main() {
        print("FuzzAuditMerge is a libFuzzer target: run `make fuzz` (docs/fuzzing.md)")
    }
}
#endif
