import ArgumentParser
import SRIOVCore
import SRIOVStore
import SRIOVFrontEnd

/// `sriovctl detach GUEST --network NET`: frees the guest's VF and keeps its MAC lease.
struct DetachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detach",
        abstract: "Take a guest's VF back; the guest keeps its MAC for next time (unless --forget).",
        discussion: """
        With --apply the interface is first detached through libvirt (live and config for a running \
        guest, config for a stopped one). The VF then gets back the settings it had before sriovctl \
        took it (--reset: zero MAC, VLAN 0, trust off, spoofchk on, link auto), and is free for any \
        guest. The lease stays, so the next attach gives the guest the same MAC; --forget drops it \
        and quarantines the MAC (never handed out again). A lease without a VF detaches as a no-op. \
        Exit 0 on success, 1 on bad input or failure.
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Guest (libvirt domain) name.")
    var guest: String

    @Option(help: "The network of the lease.")
    var network: String?

    @Option(help: "The lease's MAC (instead of --network).")
    var mac: String?

    @Option(help: "Interface slot on the network, 0-65534 (default 0).")
    var slot: String = "0"

    @Flag(help: "Also drop the lease; its MAC is quarantined.")
    var forget = false

    @Flag(help: "Reset the VF instead of restoring its previous settings.")
    var reset = false

    @Flag(help: "Also detach the interface from the guest through libvirt.")
    var apply = false

    @Flag(help: "With --apply: change the running guest.")
    var live = false

    @Flag(name: .customLong("config"), help: "With --apply: change the guest's persistent definition (as virsh --config).")
    var persistent = false

    @Option(help: "libvirt URI (default qemu:///system).")
    var connect: String?

    @Flag(help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if network == nil && mac == nil { throw ValidationError("name the lease with --network NET or --mac MAC") }
        if (live || persistent) && !apply { throw ValidationError("--live and --config need --apply") }
        if let mac, MACAddress(mac) == nil {
            throw ValidationError("--mac '\(TextRules.escaped(mac))' is not a MAC address (aa:bb:cc:dd:ee:ff)")
        }
        do {
            _ = try slotNumber()
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// `--slot` read with the core's bounded number parser.
    private func slotNumber() throws(SRIOVError) -> Int {
        try NumberOption.parse(slot, .slot, from: "--slot") ?? 0
    }

    func run() throws {
        let services = HostServices(options: global)
        var scope: DomainChangeScope? = nil
        if live || persistent { scope = DomainChangeScope.chosen(live: live, persistent: persistent) }
        let request = DetachRequest(guest: guest, network: network, slot: try slotNumber(), mac: mac.flatMap(MACAddress.init),
                                    forget: forget, reset: reset, libvirt: apply ? LibvirtApply(scope: scope) : nil)
        let result = try exitingOnFailure { () throws(SRIOVError) -> DetachResult in
            if connect == nil, let agent = AgentMode.client(global), let result = try agent.detach(request) { return result }
            // Nothing to detach without a database: say so and create none.
            guard try services.stateExists() else {
                throw SRIOVError(.notFound, "guest '\(guest)' has no lease: there is no state database at \(services.databasePath) "
                                 + "(nothing attached yet); nothing was changed")
            }
            let guests = apply ? try services.guestDomains(uri: connect) : nil
            // Detach needs no network definitions: the lease and the VF are in the database.
            let service = try services.attachmentService(config: HostConfig(), guests: guests)
            return try services.exclusively { () throws(SRIOVError) in try service.detach(request) }
        }
        for note in result.notes { printError("note: \(note)") }
        if json {
            try JSONOutput.print(result)
            return
        }
        switch result.outcome {
        case "detached":
            let vf = result.vf.map { "\(result.pfNetdev ?? $0.pf.device) VF \($0.index)" } ?? "its VF"
            let restored = result.restored.isEmpty ? "" : " (restored \(result.restored.joined(separator: ", ")))"
            print("\(result.guest) on \(result.network): detached from \(vf)\(restored); "
                  + (result.leaseKept ? "lease kept (MAC \(result.mac))" : "lease dropped, MAC \(result.mac) quarantined")
                  + (result.libvirt.map { "; libvirt: \($0)" } ?? ""))
        case "forgotten":
            print("\(result.guest) on \(result.network): lease dropped, MAC \(result.mac) quarantined")
        default:
            print("\(result.guest) on \(result.network): no VF attached; lease kept (MAC \(result.mac))")
        }
    }}
