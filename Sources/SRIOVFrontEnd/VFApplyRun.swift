import FoundationEssentials  // FileManager
public import SRIOVCore
import SystemPackage

/// `sriovctl vf apply PF [--file F] [--json]` once its command line is parsed: reads the
/// lines, calls ``VFApplyService``, prints the report. Both binaries run this: the lean one
/// from its own parse (``LeanCommandLine``), the full one from ArgumentParser's.
public struct VFApplyRun {
    /// The PF as typed.
    public var pf: String
    /// The JSON Lines file; `-` is standard input.
    public var file: String
    /// Print the report as JSON.
    public var json: Bool

    /// The command as parsed.
    public init(pf: String, file: String = "-", json: Bool = false) {
        self.pf = pf
        self.file = file
        self.json = json
    }

    /// Runs it: errors and notes on stderr, the summary (or the JSON report) on stdout.
    public func run(_ service: VFApplyService) -> ExitStatus {
        let report: VFApplyReport
        do {
            report = try service.apply(pf: pf, text: try readInput(), source: file == "-" ? "<stdin>" : file)
        } catch {
            ExitStatus.report(error)
            return .failure
        }
        if json {
            do {
                print(try OutputJSON.render(report))
            } catch {
                ExitStatus.report(SRIOVError(.system, "cannot write the report as JSON: \(error)"))
                return .failure
            }
        }
        for outcome in report.outcomes {
            for note in outcome.notes { printError("note: \(report.pf) VF \(outcome.index): \(note)") }
            if let error = outcome.error {
                ExitStatus.report(error.error)
                if !outcome.applied.isEmpty {
                    printError("note: \(report.pf) VF \(outcome.index): applied before the failure: \(outcome.applied.joined(separator: ", "))")
                }
            }
        }
        let done = report.outcomes.count - report.failures.count
        if !json {
            print("\(report.pf): \(done) of \(report.outcomes.count) VFs programmed in \(report.requests) request\(report.requests == 1 ? "" : "s")")
        }
        return report.succeeded ? .success : .failure
    }

    private func readInput() throws(SRIOVError) -> String {
        if file == "-" {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count: Int
                do {
                    count = try chunk.withUnsafeMutableBytes { try FileDescriptor.standardInput.read(into: $0) }
                } catch let error as Errno {
                    throw SRIOVError(.system, "<stdin>: cannot read: \(error)", errno: error.rawValue)
                } catch {
                    throw SRIOVError(.system, "<stdin>: cannot read: \(error)")
                }
                if count == 0 { break }
                bytes += chunk[..<count]
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SRIOVError(.notFound, "\(file): cannot read the file")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
