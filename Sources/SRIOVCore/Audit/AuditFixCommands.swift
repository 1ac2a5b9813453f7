/// The command lines findings suggest: real `sriovctl` and `virsh` invocations, built as argv
/// (quoted only when printed, by ``AuditFixCommand/commandLine``).
///
/// Kept in one place so they follow the CLI when it changes. When libvirt was checked, the
/// `attach`/`detach` suggestions carry `--apply` (and `--connect URI` for a non-default URI)
/// so the guest's definition changes with the database.
struct AuditFixCommands {
    /// The libvirt URI guests were read from; `nil` when libvirt was not checked.
    var libvirtURI: String?
    /// True when libvirt was reachable.
    var libvirtChecked: Bool

    /// `--apply [--connect URI]` when libvirt was checked.
    private var applyArguments: [String] {
        guard libvirtChecked else { return [] }
        if let uri = libvirtURI, uri != "qemu:///system" { return ["--apply", "--connect", uri] }
        return ["--apply"]
    }

    private func leaseArguments(_ lease: LeaseKey) -> [String] {
        [lease.guest, "--network", lease.network] + (lease.slot == 0 ? [] : ["--slot", String(lease.slot)])
    }

    /// `sriovctl audit --fix [--force-running] --vf PF:N ...`: re-apply assigned VFs' settings,
    /// reset free ones.
    static func repair(_ vfs: [AuditVFID], forceRunning: Bool = false) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "audit", "--fix"] + (forceRunning ? ["--force-running"] : [])
                        + vfs.sorted().flatMap { ["--vf", $0.argument] })
    }

    /// `sriovctl detach GUEST --network NET --forget`: give the VF back (if any) and drop the
    /// lease; its MAC is quarantined. For a guest libvirt no longer knows, no `--apply`.
    func forget(_ lease: LeaseKey, guestExists: Bool) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "detach"] + leaseArguments(lease) + ["--forget"]
                        + (guestExists ? applyArguments : []))
    }

    /// `sriovctl detach GUEST --network NET [--apply]`: give the VF back, keep the lease.
    func detach(_ lease: LeaseKey) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "detach"] + leaseArguments(lease) + applyArguments)
    }

    /// `sriovctl attach GUEST --network NET [--apply]`: the guest's VF and interface from its lease
    /// (a new MAC from the pool when the lease was forgotten).
    func attach(_ lease: LeaseKey) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "attach"] + leaseArguments(lease) + applyArguments)
    }

    /// `sriovctl attach NEW --network NET --uuid U`: records a libvirt rename (same UUID), keeping
    /// the lease's MAC and VF. Never `--apply`: the guest's definition already has the interface.
    func recordRename(_ lease: LeaseKey, newName: String, uuid: String) -> AuditFixCommand {
        var renamed = lease
        renamed.guest = newName
        return AuditFixCommand(["sriovctl", "attach"] + leaseArguments(renamed) + ["--uuid", uuid])
    }

    /// Forget the lease, then attach again when it held a VF: the guest gets a fresh MAC.
    func newMAC(for lease: LeaseKey, assigned: Bool) -> [AuditFixCommand] {
        [forget(lease, guestExists: true)] + (assigned ? [attach(lease)] : [])
    }

    /// `sriovctl vf set PF N --spoofchk on`.
    static func spoofCheckOn(_ vf: AuditVFID) -> AuditFixCommand {
        AuditFixCommand(["sriovctl", "vf", "set", vf.pf, String(vf.index), "--spoofchk", "on"])
    }

    /// `virsh [-c URI] detach-interface --domain G --type hostdev --mac M --config [--live]`.
    func virshDetachInterface(guest: GuestDefinition, mac: MACAddress) -> AuditFixCommand {
        var argv = ["virsh"]
        if let libvirtURI { argv += ["-c", libvirtURI] }
        argv += ["detach-interface", "--domain", guest.name, "--type", "hostdev", "--mac", mac.description, "--config"]
        if guest.isActive { argv.append("--live") }
        return AuditFixCommand(argv)
    }
}
