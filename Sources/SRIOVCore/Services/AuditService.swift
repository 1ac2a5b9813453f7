/// Proves which MAC is where: reads the three sources the audit compares (sysfs and
/// netlink, the state database, libvirt) into one ``AuditInput``, reports on it, and repairs
/// drifted and stale VFs. The one entry point every front end (the CLI's `audit`, the
/// agent) calls.
///
/// What cannot be read becomes a notice and the rules that need it are skipped (a PF whose
/// VFs netlink cannot report, an unreachable libvirt, a config without a MAC pool). Only an
/// unreadable database stops the audit: without it every VF would look free. The service
/// does not serialise operations: a front end holds the host's operation lock around
/// ``fix(_:)`` (the CLI's `HostServices`).
public struct AuditService: Sendable {
    /// The host's name in the report.
    public var hostName: String
    /// sysfs discovery.
    public var discovery: any HostDiscovering
    /// Live VF settings; `nil` when not to be read (drift and stale checks are then skipped).
    public var links: (any VFLinkControlling)?
    /// Host interface MACs.
    public var hostDevices: any HostDeviceInspecting
    /// Which interfaces are stacked on which.
    public var stacking: any InterfaceStackingReading
    /// The state database.
    public var database: AuditDatabase
    /// The host configuration, or why it could not be loaded (only its MAC pool is used).
    public var config: Result<HostConfig, SRIOVError>
    /// libvirt, or why it could not be reached; `nil` when it is not to be asked.
    public var guests: Result<any GuestDomainControlling, SRIOVError>?
    /// The libvirt URI, for notices and suggested commands; `nil` when libvirt is not asked.
    public var libvirtURI: String?

    /// Creates the service over the host's ports.
    public init(hostName: String, discovery: any HostDiscovering, links: (any VFLinkControlling)?,
                hostDevices: any HostDeviceInspecting, stacking: any InterfaceStackingReading,
                database: AuditDatabase, config: Result<HostConfig, SRIOVError>,
                guests: Result<any GuestDomainControlling, SRIOVError>?, libvirtURI: String?) {
        self.hostName = hostName
        self.discovery = discovery
        self.links = links
        self.hostDevices = hostDevices
        self.stacking = stacking
        self.database = database
        self.config = config
        self.guests = guests
        self.libvirtURI = libvirtURI
    }

    /// The report on `input` (from ``snapshot()`` or ``fix(_:)``).
    public static func report(_ input: AuditInput, generatedAt: String? = nil, generator: String) -> AuditReport {
        AuditEngine.audit(input, generatedAt: generatedAt, generator: generator)
    }

    /// Reads the host, the database and libvirt into one snapshot. Throws only when the
    /// database cannot be read.
    public func snapshot() throws(SRIOVError) -> AuditInput {
        var notices: [String] = []
        let inventory = discovery.discover()
        notices += inventory.warnings.map { "sysfs: \($0)" }

        var pfs: [AuditPF] = []
        var vfByNetdev: [String: AuditVFID] = [:]
        for pf in inventory.pfs {
            var status: PFLinkStatus?
            var readError: String?
            if links == nil {
                readError = "not read (--no-netlink)"
            } else if let links, let netdev = pf.netdev {
                do {
                    status = try links.readPF(netdev)
                } catch {
                    readError = error.message
                    notices.append("\(pf.name): live VF settings not read (\(error.message)); its VFs are not checked")
                }
            } else if !pf.vfs.isEmpty {
                readError = "no network interface, so no VF settings over netlink"
            }
            let vfs = pf.vfs.map { vf in
                AuditVF(index: vf.index, pciAddress: vf.pciAddress, live: status?.vf(vf.index))
            }
            for vf in pf.vfs {
                if let netdev = vf.netdev { vfByNetdev[netdev] = AuditVFID(pf: pf.name, index: vf.index) }
            }
            var auditPF = AuditPF(name: pf.name, pciAddress: pf.pciAddress, operState: status?.operState ?? pf.linkState,
                                  vfs: vfs, readError: readError)
            auditPF.numaNode = pf.numaNode
            pfs.append(auditPF)
        }

        if links == nil && !inventory.pfs.isEmpty {
            notices.append("netlink: not read (--no-netlink); drift and stale checks skipped")
        }
        let records = try AuditDatabaseRecords.read(database, naming: inventory)
        notices += records.notices
        var pool: MACPool?
        var networks: [NetworkDefinition] = []
        switch config {
        case .success(let config):
            pool = config.macPool
            networks = config.networks
        case .failure(let error): notices.append("config: \(error.message); MAC pool check skipped")
        }

        var guestList: [GuestDefinition]?
        switch guests {
        case nil:
            notices.append("libvirt: not checked (--no-libvirt); orphan and mismatch checks skipped")
        case .success(let guests)?:
            do {
                guestList = try guests.listGuests()
            } catch {
                notices.append(unreachable(error))
            }
        case .failure(let error)?:
            notices.append(unreachable(error))
        }

        var input = AuditInput(hostName: hostName, leases: records.leases, assignments: records.assignments,
                               quarantine: records.quarantine, macPool: pool, pfs: pfs,
                               hostInterfaces: hostInterfaces(vfByNetdev: vfByNetdev), guests: guestList,
                               guestUUIDs: records.guestUUIDs, libvirtURI: libvirtURI, notices: notices)
        input.networks = networks
        return input
    }

    private func unreachable(_ error: SRIOVError) -> String {
        "libvirt: \(libvirtURI ?? "default URI") not reachable (\(error.message)); orphan and mismatch checks skipped"
    }

    /// Repairs the host: re-applies the database's settings to drifted VFs and resets stale
    /// free VFs (``AuditRepairPlan``), one netlink apply per PF; with
    /// ``AuditFixRequest/dryRun`` only says what it would do. Returns what it did, line by
    /// line, and the snapshot after the repair (the one before when nothing was sent).
    /// Throws for a `vfs` entry that is not a VF of this host (nothing changed), without
    /// netlink, or when the database cannot be read.
    public func fix(_ request: AuditFixRequest) throws(SRIOVError) -> AuditFixOutcome {
        guard let links else {
            throw SRIOVError(.invalidValue, "--fix needs the live VF settings; it cannot be combined with --no-netlink")
        }
        let before = try snapshot()
        let only = try Self.selectedVFs(request.vfs, in: before)
        let plan = AuditRepairPlan.plan(before, only: only, forceRunning: request.forceRunning)
        let lines = AuditRepair(links: links, dryRun: request.dryRun).run(plan)
        let after = !request.dryRun && !plan.actions.isEmpty ? try snapshot() : before
        return AuditFixOutcome(lines: lines, input: after)
    }

    /// The `PF:INDEX` arguments, each checked against the host; `nil` for all VFs.
    static func selectedVFs(_ arguments: [String], in input: AuditInput) throws(SRIOVError) -> Set<AuditVFID>? {
        guard !arguments.isEmpty else { return nil }
        var ids: Set<AuditVFID> = []
        for text in arguments {
            guard let id = AuditVFID(argument: text) else {
                throw SRIOVError(.invalidValue, "--vf '\(TextRules.escaped(text))': expected PF:INDEX, e.g. eth0:3")
            }
            guard AuditRepairPlan.knows(id, in: input) else {
                let known = input.pfs.map { "\($0.name) (\($0.vfs.count) VFs)" }.joined(separator: ", ")
                throw SRIOVError(.notFound, "--vf '\(TextRules.escaped(text))': no such VF on this host"
                                 + (known.isEmpty ? " (no SR-IOV PF)" : " (PFs: \(known))"))
            }
            ids.insert(id)
        }
        return ids
    }

    /// Host interfaces with the VF each belongs to: a VF's own netdev, or an interface stacked
    /// (VLAN, macvlan, bond...) on one, however deep.
    private func hostInterfaces(vfByNetdev: [String: AuditVFID]) -> [AuditHostInterface] {
        let lowers = stacking.lowerInterfaces()
        func owningVF(_ name: String, depth: Int = 0) -> AuditVFID? {
            if let vf = vfByNetdev[name] { return vf }
            guard depth < 8 else { return nil }
            for lower in lowers[name] ?? [] {
                if let vf = owningVF(lower, depth: depth + 1) { return vf }
            }
            return nil
        }
        return hostDevices.interfaceMACs().sorted { $0.key < $1.key }.map {
            AuditHostInterface(name: $0.key, mac: $0.value, vf: owningVF($0.key))
        }
    }
}

/// Where the audit reads the state database from.
public enum AuditDatabase: Sendable {
    /// There is none at `path`: nothing was ever attached (a notice says so; none is created).
    case absent(path: String)
    /// The open database.
    case store(any StateStoring)
}

/// What `audit --fix` is asked to repair.
public struct AuditFixRequest: Hashable, Sendable {
    /// Only these VFs (`PF:INDEX`, e.g. `eth0:3`); empty for every VF.
    public var vfs: [String]
    /// Also repair VFs of running guests.
    public var forceRunning: Bool
    /// Only say what would be repaired.
    public var dryRun: Bool

    /// Creates a request.
    public init(vfs: [String] = [], forceRunning: Bool = false, dryRun: Bool = false) {
        self.vfs = vfs
        self.forceRunning = forceRunning
        self.dryRun = dryRun
    }
}

/// What ``AuditService/fix(_:)`` did.
public struct AuditFixOutcome: Sendable {
    /// One line per skipped VF, per VF repaired or failed, and per note, in order
    /// (`eth0:3: reset (stale free VF) done`); the CLI prints each after `fix: `.
    public var lines: [String]
    /// The snapshot after the repair, to report on.
    public var input: AuditInput
}
