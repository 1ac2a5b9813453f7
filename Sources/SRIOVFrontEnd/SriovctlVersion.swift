/// The program version, also stored in the state database it creates.
public enum SriovctlVersion {
    public static let current = "0.1.0"

    /// What `sriovctl --version` prints: `sriovctl 0.1.0 (commit b55d0a8)`. The commit comes
    /// from the build (Plugins/BuildCommitPlugin): `-modified` when tracked files differed from
    /// it, `unknown` when built outside a git checkout without `SRIOVCTL_COMMIT`.
    public static let withCommit = "sriovctl \(current) (commit \(sriovctlBuildCommit))"
}
