import ArgumentParser
import SRIOVFrontEnd

/// The root command: lists every subcommand. Exit codes: docs/exit-codes.md (``ExitStatus``).
struct SriovctlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sriovctl",
        abstract: "SR-IOV virtual function controller for KVM/libvirt and Xen hosts.",
        discussion: """
        Exit codes: 0 success; 1 an operation failed or bad input (nothing changed); \
        audit and doctor document their own (0 clean, 1 findings/warnings, 2 failure).
        """,
        version: SriovctlVersion.withCommit,
        subcommands: [
            ListCommand.self,
            VFCommand.self,
            AttachCommand.self,
            DetachCommand.self,
            LeasesCommand.self,
            ProvisionCommand.self,
            AgentCommand.self,
            AuditCommand.self,
            DoctorCommand.self,
            StateCommand.self,
        ]
    )
}
