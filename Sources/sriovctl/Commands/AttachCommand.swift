import ArgumentParser
import SRIOVCore
import SRIOVStore
import SRIOVFrontEnd

/// `sriovctl attach GUEST --network NET`: gives a guest a programmed VF with its stable MAC.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Give a guest a VF on a network, with the MAC it always gets there, and print it.",
        discussion: """
        Picks a free VF on the network's PFs (never one whose IOMMU group holds a device the host \
        uses), reuses the guest's lease on the network or allocates a MAC from mac_pool, records \
        the intent in the state database, programs the VF (MAC, VLAN, trust, spoofchk, link state, \
        rates) over netlink, then prints the libvirt <interface> XML (--format xl: the Xen pci line; \
        --format json: everything, docs/attach.md). Running it again changes nothing, or only \
        reprograms what drifted. With --apply the interface is also attached through libvirt: to \
        the persistent config of a stopped guest, live and config for a running one (--live and \
        --config choose). Exit 0 on success, 1 on bad input or failure (nothing changed).
        """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Guest (libvirt domain) name.")
    var guest: String

    @Option(help: "Network name from the config file's networks:.")
    var network: String

    @Option(help: "Guest UUID (checked against libvirt with --apply/--connect).")
    var uuid: String?

    @Option(help: "Virtual port type: only 802.1Qbh; needs --profile, excludes --vlan.")
    var virtualport: String?

    @Option(help: "802.1Qbh port profile id.")
    var profile: String?

    @OptionGroup var port: VFPortOptions

    @Option(help: "Interface slot on the network, for a guest with several VFs there, 0-65534 (default 0).")
    var slot: String = "0"

    @Option(help: "Output: libvirt (interface XML), xl (Xen pci line) or json.")
    var format: AttachOutputFormat = .libvirt

    @Flag(help: "Also attach the interface to the guest through libvirt.")
    var apply = false

    @Flag(help: "With --apply: change the running guest.")
    var live = false

    @Flag(name: .customLong("config"), help: "With --apply: change the guest's persistent definition (as virsh --config).")
    var persistent = false

    @Option(help: "libvirt URI (default qemu:///system); also checks that the guest exists.")
    var connect: String?

    @Option(name: .customLong("numa-node"),
            help: "The guest's NUMA node (default: read from libvirt with --apply/--connect); the network's numa: policy weighs it.")
    var numaNode: String?

    @Flag(help: "Give the guest a failover pair for live migration: a virtio interface on the network's failover: path and the VF, teamed, same MAC.")
    var failover = false
    @Flag(help: "With a fleet state database: attach a guest whose lease is attached on another host (a move; both VFs carry its MAC until that host detaches it).")
    var move = false

    func validate() throws {
        if (live || persistent) && !apply { throw ValidationError("--live and --config need --apply") }
        if let virtualport, virtualport != "802.1Qbh" {
            throw ValidationError("--virtualport must be 802.1Qbh (the only type libvirt accepts on hostdev interfaces)")
        }
        if (virtualport == nil) != (profile == nil) { throw ValidationError("--virtualport and --profile go together") }
        if port.vlan != nil && virtualport != nil {
            throw ValidationError("--vlan and --virtualport cannot be combined: libvirt refuses <vlan> with <virtualport>")
        }
        _ = try request()
    }

    /// The request from the options (checked by ``validate()``). Numbers go through the core's
    /// bounded parser; a malformed or out-of-range one is a usage error naming the option.
    func request() throws -> AttachRequest {
        do {
            return try parsedRequest()
        } catch {
            throw ValidationError(error.message)
        }
    }

    private func parsedRequest() throws(SRIOVError) -> AttachRequest {
        let settings = try port.settings()
        let slotNumber = try NumberOption.parse(slot, .slot, from: "--slot") ?? 0
        var scope: DomainChangeScope? = nil
        if live || persistent { scope = DomainChangeScope.chosen(live: live, persistent: persistent) }
        var request = AttachRequest(
            guest: guest, uuid: uuid, network: network, slot: slotNumber, settings: settings,
            virtualPort: profile.map(VirtualPort.init(profileID:)), output: format,
            libvirt: apply ? LibvirtApply(scope: scope) : nil)
        request.numaNode = try NumberOption.parse(numaNode, .numaNode, from: "--numa-node")
        request.failover = failover
        if failover && format == .xl {
            throw SRIOVError(.invalidValue, "--failover makes a libvirt pair; Xen's xl has no failover form")
        }
        request.move = move
        return request
    }

    func run() throws {
        let services = HostServices(options: global)
        let request = try request()
        let (result, rendered) = try exitingOnFailure { () throws(SRIOVError) -> (AttachmentResult, String?) in
            // Through the agent when one answers (never with --connect, which names a libvirt
            // the agent does not use, nor with --numa-node, which its API does not carry); the
            // same result and rendering as directly.
            if connect == nil, request.numaNode == nil, let agent = AgentMode.client(global),
               let result = try agent.attach(request) {
                return (result, try AttachmentService.render(result, as: request.output))
            }
            let config = try services.loadConfig()
            // Bad input is refused before the database, its directory or its lock is created.
            try AttachmentService.check(request, config: config)
            if services.fleet == nil { _ = try StateDatabaseLocation.resolve(services.databasePath) }
            let guests = (apply || connect != nil) ? try services.guestDomains(uri: connect, readOnly: !apply) : nil
            let service = try services.attachmentService(config: config, guests: guests)
            let attached = try services.exclusively { () throws(SRIOVError) in try service.attach(request) }
            return (attached.result, attached.rendered)
        }
        for note in result.notes { printError("note: \(note)") }
        printError(AttachSummary.line(result, programmed: !services.unprogrammedVFs))
        switch format {
        case .json: try JSONOutput.print(result)
        case .libvirt: print(rendered ?? "", terminator: "")
        case .xl:
            print(rendered ?? "")
            if let hint = try? XenPCIConfig.assignableAddCommand(for: result.interface) {
                printError("note: on the Xen host, make the VF assignable first: \(hint)")
            }
        }
    }
}

extension AttachOutputFormat: ExpressibleByArgument {}

/// The one-line summary attach prints on stderr.
enum AttachSummary {
    /// `programmed` is false under `--no-program`, where nothing was sent to the VF: an
    /// existing attachment then reads "already attached", not "reprogrammed".
    static func line(_ r: AttachmentResult, programmed: Bool = true) -> String {
        let pf = r.pf.netdev ?? r.pf.id.device
        let what: String = switch r.outcome {
        case .attached: "attached"
        case .unchanged: "already attached"
        case .converged where !programmed: "already attached"
        case .converged: "already attached; reprogrammed \(r.programmed.joined(separator: ", "))"
        case .reconfigured: "reconfigured (\(r.programmed.joined(separator: ", ")))"
        case .moved: "moved to a new VF"
        }
        var text = "\(r.guest) on \(r.network): \(what): \(pf) VF \(r.vfIndex)"
            + (r.vfPCIAddress.map { " (\($0))" } ?? "") + ", MAC \(r.mac)" + (r.leaseCreated ? " (new lease)" : "")
        if let libvirt = r.libvirt { text += "; libvirt: \(libvirt.action) (\(libvirt.scope.joined(separator: "+")))" }
        return text
    }
}
