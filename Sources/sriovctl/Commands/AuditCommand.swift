import ArgumentParser
import Foundation  // ISO8601DateFormatter, FileHandle
import Glibc
import SRIOVAgentAPI
import SRIOVCore
import SRIOVLibvirt
import SRIOVLinux
import SRIOVStore
import SRIOVFrontEnd

/// `sriovctl audit`: compares the state database, the live VFs and libvirt's guest definitions,
/// reports findings and the inventory, and with `--fix` repairs drifted and stale VFs.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Prove which MAC is where: compare the database, the live VFs and libvirt's guests.",
        discussion: """
        Findings (duplicate, drift, stale, orphan, mismatch, policy) each have a severity \
        (info < warning < error < critical) and a suggested command. libvirt is skipped with a notice \
        when unreachable. --merge combines JSON reports of several hosts and adds the same MAC on two \
        hosts. --fix re-applies the database's settings to drifted VFs and resets stale free VFs, never \
        a running guest's VF without --force-running. Exit 0 clean, 1 a finding at or above --fail-on \
        (default warning), 2 could not audit. Formats and JSON schema: docs/audit.md.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: table, json or html.")
    var format: AuditFormat = .table

    @Option(help: "Write the report to this file (created 0600, or a regular file replaced atomically; never a directory, device, FIFO, link or sriovctl's own files) instead of standard output.")
    var output: String?

    @Option(help: "libvirt URI to read guest definitions from.")
    var connect: String = LibvirtGuestDomains.defaultURI

    @Flag(name: .customLong("no-libvirt"), help: "Do not ask libvirt (Xen hosts); orphan and mismatch checks are skipped.")
    var noLibvirt = false

    @Flag(name: .customLong("no-netlink"), help: "Do not read live VF settings; drift and stale checks are skipped.")
    var noNetlink = false

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding has this severity or worse: info, warning, error, critical.")
    var failOn: AuditSeverity = .warning

    @Option(name: .customLong("host-name"), help: "The host's name in the report (default: the system's host name).")
    var hostName: String?

    @Option(parsing: .upToNextOption, help: "Merge these JSON reports (from 'audit --format json') instead of auditing this host.")
    var merge: [String] = []

    @Flag(help: "Read every host's records from the fleet state database (config state: postgresql://…) and report moves in progress and MACs held twice.")
    var fleet = false

    @Flag(help: "Repair drifted VFs (re-apply the database's settings) and stale free VFs (reset), then audit again.")
    var fix = false

    @Flag(name: .customLong("dry-run"), help: "With --fix: only print what would be repaired.")
    var dryRun = false

    @Flag(name: .customLong("force-running"), help: "With --fix: also repair VFs of running guests.")
    var forceRunning = false

    @Option(name: .customLong("vf"), help: "With --fix: repair only this VF (PF:INDEX, e.g. eth0:3); repeatable.")
    var vfs: [String] = []

    func run() throws {
        do {
            if let output { try refuseEarly(output) }
            let report = try agentFixReport() ?? makeReport()
            try write(report)
            throw (report.exitStatus(failOn: failOn) == 0 ? ExitStatus.success : .failure).code
        } catch let error as SRIOVError {
            ExitStatus.report(error)
            throw ExitStatus.notChecked.code
        }
    }

    /// `--fix` through the agent when one answers: its repair lines on stderr, its report back.
    /// Not with `--connect`, which names another libvirt than the agent's own.
    private func agentFixReport() throws(SRIOVError) -> AuditReport? {
        guard fix, merge.isEmpty, !noNetlink, connect == LibvirtGuestDomains.defaultURI,
              let agent = AgentMode.client(global),
              let result = try agent.auditFix(AgentAuditFixRequest(dryRun: dryRun, forceRunning: forceRunning, vfs: vfs,
                                                                   noLibvirt: noLibvirt, hostName: hostName))
        else { return nil }
        for line in result.repairs { printError("fix: \(line)") }
        return result.report
    }

    private var generator: String { "sriovctl \(SriovctlVersion.current)" }

    /// The report; with `--fix`, after the repairs (each line on stderr).
    private func makeReport() throws(SRIOVError) -> AuditReport {
        if fleet {
            if fix || !vfs.isEmpty || dryRun || forceRunning || !merge.isEmpty {
                throw SRIOVError(.invalidValue, "--fleet reads the fleet database; it cannot be combined with --merge, --fix, --vf, "
                                 + "--dry-run or --force-running")
            }
            return try HostServices(options: global).fleetAuditReport(generator: generator)
        }
        if !merge.isEmpty {
            if fix || !vfs.isEmpty || dryRun || forceRunning {
                throw SRIOVError(.invalidValue, "--merge reads reports; it cannot be combined with --fix, --vf, --dry-run or --force-running")
            }
            return try AuditFleetMerge.merge(merge.map(readReport), generator: generator)
        }
        if !fix && (dryRun || forceRunning || !vfs.isEmpty) {
            throw SRIOVError(.invalidValue, "--dry-run, --force-running and --vf only apply with --fix")
        }
        if fix && noNetlink {
            throw SRIOVError(.invalidValue, "--fix needs the live VF settings; it cannot be combined with --no-netlink")
        }
        let services = HostServices(options: global)
        let input: AuditInput
        if fix && !dryRun {
            // Repairs are planned and made as the only sriovctl changing VFs: an attach or
            // detach finishing between the snapshot and the repair would make it wrong (a VF
            // attached meanwhile would be reset as a stale free one).
            input = try services.exclusivelyWithExistingStateStore { (store) throws(SRIOVError) in
                try snapshotOrFix(services, store: store)
            }
        } else {
            input = try snapshotOrFix(services, store: nil)
        }
        return AuditService.report(input, generatedAt: ISO8601DateFormatter().string(from: Date()), generator: generator)
    }

    /// The host's snapshot; with `--fix`, repairs it (each line on stderr) and returns the
    /// snapshot taken after. `store` is the database when the caller opened it already.
    private func snapshotOrFix(_ services: HostServices, store: (any StateStoring)?) throws(SRIOVError) -> AuditInput {
        let service = try services.auditService(
            hostName: hostName ?? ProcessInfo.processInfo.hostName, netlink: !noNetlink,
            libvirtURI: noLibvirt ? nil : connect, store: store, writable: fix)
        guard fix else { return try service.snapshot() }
        let outcome = try service.fix(AuditFixRequest(vfs: vfs, forceRunning: forceRunning, dryRun: dryRun))
        for line in outcome.lines { printError("fix: \(line)") }
        return outcome.input
    }

    private func readReport(_ path: String) throws(SRIOVError) -> AuditFleetMerge.Source {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SRIOVError(.notFound, "\(path): cannot read the report (missing or unreadable)")
        }
        do {
            return AuditFleetMerge.Source(name: path, report: try JSONDecoder().decode(AuditReport.self, from: data))
        } catch {
            throw SRIOVError(.invalidValue, "\(path): not an audit JSON report (\(Self.describe(error)))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, let context)?:
            return "missing key '\((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))'"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return (path.isEmpty ? "" : "at '\(path)': ") + context.debugDescription
        default:
            return "\(error)"
        }
    }

    /// Refuses an `--output` that will be refused anyway before the audit runs (and before
    /// `--fix` changes anything): the same checks as the write, with nothing written.
    private func refuseEarly(_ output: String) throws(SRIOVError) {
        let services = HostServices(options: global)
        let writer = OutputFileWriter(what: "the report", protecting: services.protectedFiles()
                                      + merge.map { .init(path: $0, role: "a report given to --merge") })
        try writer.check(output)
    }

    private func write(_ report: AuditReport) throws(SRIOVError) {
        let text: String
        switch format {
        case .table: text = AuditTableRenderer.render(report) + "\n"
        case .json:
            do { text = try JSONOutput.render(report) + "\n" } catch {
                throw SRIOVError(.system, "cannot encode the report as JSON: \(error)")
            }
        case .html: text = AuditHTMLRenderer.render(report)
        }
        guard let output else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        let services = HostServices(options: global)
        let writer = OutputFileWriter(what: "the report", protecting: services.protectedFiles()
                                      + merge.map { .init(path: $0, role: "a report given to --merge") })
        try writer.write(Array(text.utf8), to: output)
    }
}

/// `audit --format`.
enum AuditFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, html
}

extension AuditSeverity: ExpressibleByArgument {}
