import ArgumentParser
import Foundation
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
            let (netdev, found) = try PFArgument.resolve(pf, services: services)
            let text = try readInput()
            let changes = try VFSpecLines.parse(text, source: file == "-" ? "<stdin>" : file, pf: netdev)
            // Every index checked before anything is sent, against sriov_numvfs (the same count
            // the kernel reports as IFLA_NUM_VF), or a netlink read when sysfs has none.
            let numVFs: Int
            if let counted = found.numVFs { numVFs = counted } else { numVFs = try services.linkControl.readPF(netdev).numVFs }
            for (line, change) in changes where !(0..<numVFs).contains(change.index) {
                throw SRIOVError(.notFound, "\(line): \(netdev) VF \(change.index): no such VF (PF has \(numVFs) VFs)")
            }
            return services.linkControl.apply(changes.map(\.1), on: netdev)
        }
        if json {
            try JSONOutput.print(report)
        }
        for outcome in report.outcomes {
            for note in outcome.notes { printError("note: \(report.pf) VF \(outcome.index): \(note)") }
            if let error = outcome.error {
                printError("sriovctl: \(error.message)")
                if !outcome.applied.isEmpty {
                    printError("note: \(report.pf) VF \(outcome.index): applied before the failure: \(outcome.applied.joined(separator: ", "))")
                }
            }
        }
        let done = report.outcomes.count - report.failures.count
        if !json {
            print("\(report.pf): \(done) of \(report.outcomes.count) VFs programmed in \(report.requests) request\(report.requests == 1 ? "" : "s")")
        }
        if !report.succeeded { throw ExitCode.failure }
    }

    private func readInput() throws(SRIOVError) -> String {
        let data: Data?
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: file)
        }
        guard let data else { throw SRIOVError(.notFound, "\(file): cannot read the file") }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The `vf apply` input: JSON Lines, one VF per line.
enum VFSpecLines {
    /// One line as written.
    struct Line: Decodable {
        var vf: Int
        var mac: String?
        var vlan: Int?
        var qos: Int?
        var proto: String?
        var trust: Bool?
        var spoofchk: Bool?
        var linkState: String?
        var minRate: Int?
        var maxRate: Int?

        static let keys: Set<String> = ["vf", "mac", "vlan", "qos", "proto", "trust", "spoofchk", "linkState",
                                        "minRate", "maxRate"]
    }

    /// The keys a line has (to refuse typos such as "vlanid").
    private struct Keys: Decodable {
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        var names: [String]
        init(from decoder: any Decoder) throws {
            names = try decoder.container(keyedBy: Key.self).allKeys.map(\.stringValue)
        }
    }

    /// Every change with its place (`spec.jsonl line 3`), checked: parse, values, duplicates.
    static func parse(_ text: String, source: String, pf: String) throws(SRIOVError) -> [(String, VFChange)] {
        var numbered: [(number: Int, text: Substring)] = []
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") || line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                continue
            }
            numbered.append((offset + 1, line))
        }
        if numbered.isEmpty { throw SRIOVError(.invalidValue, "\(source): no VF to program") }
        let entries = try decode(numbered, source: source)

        var changes: [(String, VFChange)] = []
        var seen: [Int: Int] = [:]
        for (line, entry) in zip(numbered, entries) {
            let place = "\(source) line \(line.number)"
            if let first = seen[entry.vf] {
                throw SRIOVError(.invalidValue, "\(place): VF \(entry.vf) is already set on line \(first)")
            }
            seen[entry.vf] = line.number
            let input = VFSettingsInput(mac: entry.mac, vlan: entry.vlan, qos: entry.qos, proto: entry.proto,
                                        trust: entry.trust, spoofCheck: entry.spoofchk, linkState: entry.linkState,
                                        minRate: entry.minRate, maxRate: entry.maxRate)
            do {
                let settings = try input.settings(at: "\(pf) VF \(entry.vf)")
                try settings.validate(vfIndex: entry.vf, pf: pf)
                changes.append((place, VFChange(index: entry.vf, settings: settings)))
            } catch {
                throw SRIOVError(error.code, "\(place): \(error.message)")
            }
        }
        return changes
    }

    /// Decodes all lines as one JSON array (fast: two decoder runs for the whole file);
    /// when that fails, line by line to name the first bad line.
    private static func decode(_ lines: [(number: Int, text: Substring)], source: String) throws(SRIOVError) -> [Line] {
        let decoder = JSONDecoder()
        let array = Data(("[" + lines.map(\.text).joined(separator: ",") + "]").utf8)
        if let keys = try? decoder.decode([Keys].self, from: array), let entries = try? decoder.decode([Line].self, from: array) {
            for (line, names) in zip(lines, keys) {
                try checkKeys(names.names, place: "\(source) line \(line.number)")
            }
            return entries
        }
        var entries: [Line] = []
        for line in lines {
            let place = "\(source) line \(line.number)"
            let data = Data(line.text.utf8)
            do {
                try checkKeys(try decoder.decode(Keys.self, from: data).names, place: place)
                entries.append(try decoder.decode(Line.self, from: data))
            } catch let error as SRIOVError {
                throw error
            } catch {
                throw SRIOVError(.invalidValue, "\(place): \(describe(error))")
            }
        }
        // Each line alone decodes but the whole does not (e.g. two objects on one line).
        throw SRIOVError(.invalidValue, "\(source): not one JSON object per line")
    }

    private static func checkKeys(_ names: [String], place: String) throws(SRIOVError) {
        if let key = Set(names).subtracting(Line.keys).sorted().first {
            throw SRIOVError(.invalidValue, "\(place): unknown key '\(key)' (known: \(Line.keys.sorted().joined(separator: ", ")))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let key = context.codingPath.last?.stringValue ?? "value"
            return "\"\(key)\" has the wrong type (\(context.debugDescription))"
        case DecodingError.dataCorrupted: return "not a JSON object"
        default: return "not a JSON object (\(error))"
        }
    }
}
