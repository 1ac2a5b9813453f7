import Foundation
import SRIOVCore
import SRIOVTesting
import Testing

/// The FuzzAuditMerge corpus (Fuzz/corpus/FuzzAuditMerge) replayed as `audit --merge` reads a
/// report: JSONDecoder into AuditReport, merged with a renamed copy of itself, rendered.
@Suite("Audit merge fuzz corpus")
struct AuditMergeFuzzCorpusTests {
    @Test("Every input of the corpus decodes, merges and renders, or is refused; none crashes")
    func corpus() {
        let inputs = FuzzCorpus.inputs("FuzzAuditMerge")
        #expect(inputs.count >= 3)
        var decoded = 0
        for input in inputs {
            guard let report = try? JSONDecoder().decode(AuditReport.self, from: Data(input.bytes)) else { continue }
            decoded += 1
            var other = report
            other.hosts = other.hosts.map { var section = $0; section.host += "-b"; return section }
            guard let merged = try? AuditFleetMerge.merge(
                [.init(name: "a.json", report: report), .init(name: "b.json", report: other)], generator: "test")
            else { continue }  // refused: a host twice, or a newer schema
            #expect(merged.hosts.count == 2 * report.hosts.count)
            _ = AuditTableRenderer.render(merged)
            _ = AuditHTMLRenderer.render(merged)
        }
        #expect(decoded >= 3, "the seeds are reports written by audit --format json")
    }
}
