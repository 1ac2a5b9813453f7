import ArgumentParser

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

/// The program version, also stored in the state database it creates.
enum SriovctlVersion {
    static let current = "0.1.0"

    /// What `sriovctl --version` prints: `sriovctl 0.1.0 (commit b55d0a8)`. The commit comes
    /// from the build (Plugins/BuildCommitPlugin): `-modified` when tracked files differed from
    /// it, `unknown` when built outside a git checkout without `SRIOVCTL_COMMIT`.
    static let withCommit = "sriovctl \(current) (commit \(sriovctlBuildCommit))"
}
