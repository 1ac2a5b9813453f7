import ArgumentParser
import SRIOVCore
import SRIOVLinux
import SRIOVFrontEnd

/// `sriovctl doctor`: is this host ready for VF passthrough, and how to fix it if not.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that this host is ready for PCI/VF passthrough (IOMMU, interrupt remapping, VFIO, PFs, IOMMU groups).",
        discussion: """
        Every check says pass, warn or fail, what was seen (the file read), why it matters, and the fix for this \
        host's distribution and boot loader. Nothing is changed.
        Exit codes: 0 every check passed; 1 warnings only; 2 a check failed, or --pf names no PF; 64 bad usage.
        JSON shape: docs/doctor.md.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp(
        "The host's root directory: /proc, /etc, /lib/modules and /usr/sbin/grubby are read under it.",
        valueName: "dir"))
    var hostRoot: String = "/"

    @Option(name: .long, help: ArgumentHelp("Check only this PF (netdev, PCI address or sysfs name) and its VFs.",
                                            valueName: "pf"))
    var pf: String?

    @Flag(help: "Print JSON (documented, stable shape).")
    var json = false

    func run() throws {
        let reader = HostReadinessReader(sysfs: HostServices(options: global).sysfs, hostRoot: hostRoot)
        let report: ReadinessReport
        do {
            report = try ReadinessEvaluator.evaluate(reader.snapshot(), pf: pf)
        } catch {
            ExitStatus.report(error)
            throw ExitStatus.notChecked.code
        }
        if json {
            try JSONOutput.print(report)
        } else {
            print(ReadinessReportText.render(report))
        }
        for warning in report.warnings {
            printError("warning: \(warning)")
        }
        if report.exitCode != 0 { throw (ExitStatus(rawValue: report.exitCode) ?? .notChecked).code }
    }
}
