import ArgumentParser
import FoundationEssentials
import Glibc
import SRIOVCore
import SRIOVStore

/// `sriovctl leases`: every guest's MAC per network and the VF it holds.
struct LeasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "List guests, their MACs per network, and the VF each holds (PF, index, PCI address).",
        discussion: """
        STATE is attached, free (detached: the lease keeps the MAC), or intent/releasing while an \
        attach or detach is under way (or was interrupted: the next attach, detach or provision \
        repairs it). Quarantined MACs (dropped with detach --forget) follow the table. \
        JSON shape: docs/attach.md. A missing state database lists nothing and is not created.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (documented, stable shape).")
    var json = false

    func run() throws {
        let services = HostServices(options: global)
        let stored = try exitingOnFailure { () throws(SRIOVError) -> LeaseReport in
            if let agent = AgentMode.client(global), let report = try agent.leases() { return report }
            // Missing: nothing attached yet. A link loop, a dangling link or a FIFO is an error.
            guard try services.stateExists() else { return LeaseReport(snapshot: StateSnapshot()) }
            return LeaseReport(snapshot: try services.stateReader().read())
        }
        // Each VF's NUMA node, from sysfs as it is now (the database does not keep it).
        let report = stored.addingNUMANodes(from: services.discovery.discover())
        if json {
            try JSONOutput.print(report)
        } else {
            print(report.renderTable())
        }
    }
}
