/// The command lines findings suggest: real `sriovctl` and `virsh` invocations, built as argv
/// (quoted only when printed, by ``AuditFixCommand/commandLine``).
///
/// Kept in one place so they follow the CLI when it changes.
enum AuditFixCommands {
    /// `sriovctl audit --fix --vf PF:N ...`: re-apply assigned VFs' settings, reset free ones.
    static func repair(_ vfs: [AuditVFID]) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "audit", "--fix"] + vfs.sorted().flatMap { ["--vf", $0.argument] })
    }

    /// `sriovctl detach GUEST --network NET --slot N`: give the VF back (the lease is kept).
    static func detach(_ lease: AuditLeaseKey) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "detach", lease.guest, "--network", lease.network, "--slot", String(lease.slot)])
    }

    /// `sriovctl leases release GUEST --network NET --slot N`: drop the lease (its MAC is quarantined).
    static func release(_ lease: AuditLeaseKey) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "leases", "release", lease.guest, "--network", lease.network,
                         "--slot", String(lease.slot)])
    }

    /// `sriovctl attach GUEST --network NET`: define the interface from the lease again.
    static func attach(_ lease: AuditLeaseKey) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "attach", lease.guest, "--network", lease.network])
    }

    /// `sriovctl vf set PF N --spoofchk on`.
    static func spoofCheckOn(_ vf: AuditVFID) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "vf", "set", vf.pf, String(vf.index), "--spoofchk", "on"])
    }

    /// `virsh [-c URI] detach-interface --domain G --type hostdev --mac M --config [--live]`.
    static func virshDetachInterface(uri: String?, guest: GuestDefinition, mac: MACAddress) -> AuditFixCommand {
        var argv = ["virsh"]
        if let uri { argv += ["-c", uri] }
        argv += ["detach-interface", "--domain", guest.name, "--type", "hostdev", "--mac", mac.description, "--config"]
        if guest.isActive { argv.append("--live") }
        return AuditFixCommand(argv)
    }
}
