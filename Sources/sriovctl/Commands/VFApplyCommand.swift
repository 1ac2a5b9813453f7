import ArgumentParser
import FoundationEssentials
import SystemPackage
import SRIOVCore

/// `sriovctl vf apply PF [--file F] [--json]`: programs many VFs of one PF from JSON
/// Lines, in as few netlink requests as the kernel allows (one for a whole PF).
struct VFApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Program many VFs of one PF from JSON Lines (one request per PF when possible).",
        discussion: """
        One JSON object per line, e.g.
          {"vf": 3, "mac": "02:00:00:00:00:03", "vlan": 100, "qos": 2, "proto": "802.1Q",
           "trust": false, "spoofchk": true, "linkState": "auto", "minRate": 0, "maxRate": 1000}
        Only "vf" is required; absent keys leave the setting as it is. Blank lines and lines \
        starting with # are skipped. Every line is checked (values, VF index, duplicates) \
        before anything is sent: one bad line and nothing changes. See docs/netlink.md.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The PF: netdev name or PCI address.")
    var pf: String

    @Option(help: "The JSON Lines file ('-' or absent: standard input).")
    var file: String = "-"

    @Flag(help: "Print the apply report as JSON.")
    var json = false

    func run() throws {
        let services = HostServices(options: global)
        let report = try exitingOnFailure { () throws(SRIOVError) -> VFApplyReport in
            try services.applyVFs(pf: pf, text: try readInput(), source: file == "-" ? "<stdin>" : file)
        }
        if json {
            try JSONOutput.print(report)
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
        if !report.succeeded { throw ExitStatus.failure.code }
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
