/// Lookup tables over one ``AuditInput``, built once so every rule runs in linear time
/// (1,000 leases and 1,024 VFs must not turn into a million comparisons).
///
/// It also decides the one thing rules must agree on: which observed VF an assignment
/// refers to (by PF PCI address when both sides have one, else by PF name).
struct AuditContext {
    /// An assignment joined with its lease and the VF it refers to.
    struct Placement {
        /// The database record.
        var assignment: AuditAssignment
        /// Its lease, `nil` if the database lost it.
        var lease: LeaseRecord?
        /// The VF it refers to, named by the observed PF when found.
        var vf: AuditVFID
        /// The observed PF, `nil` when the host has no such PF.
        var pf: AuditPF?
        /// The observed VF, `nil` when the PF does not have it.
        var observed: AuditVF?

        /// What the VF must carry: the applied settings, with the lease's MAC when the
        /// settings do not name one.
        var expected: VFSettings {
            var settings = assignment.settings
            if settings.mac == nil { settings.mac = lease?.mac }
            return settings
        }
    }

    /// One observed VF with its PF.
    struct ObservedVF {
        var id: AuditVFID
        var pf: AuditPF
        var vf: AuditVF
    }

    let input: AuditInput
    let host: String
    /// Observed VFs in PF order, then index.
    let vfs: [ObservedVF]
    let vfByID: [AuditVFID: ObservedVF]
    let vfByPCI: [PCIAddress: AuditVFID]
    let leaseByKey: [LeaseKey: LeaseRecord]
    /// Assignments in database order, resolved.
    let placements: [Placement]
    let placementByVF: [AuditVFID: Placement]
    let placementByLease: [LeaseKey: Placement]
    let leasesByMAC: [MACAddress: [LeaseKey]]
    let quarantineByMAC: [MACAddress: QuarantinedMAC]
    /// libvirt guests by name; `nil` when libvirt was not reachable. Rules look guests of the
    /// database up with ``libvirtGuest(named:)``, which also finds renamed ones.
    let guestByName: [String: GuestDefinition]?
    /// Database guest names whose guest libvirt knows under another name (same UUID): old
    /// name to the libvirt guest.
    let renamedGuests: [String: GuestDefinition]
    /// The reverse: a renamed libvirt guest's name to the name the database knows it by.
    let databaseNameOfRenamed: [String: String]
    /// Guests whose persistent or running definition uses each PCI address.
    let guestsByPCI: [PCIAddress: [GuestDefinition]]
    /// Builds the suggested commands.
    let fixes: AuditFixCommands

    init(_ input: AuditInput) {
        self.input = input
        host = input.hostName
        var vfs: [ObservedVF] = []
        var vfByPCI: [PCIAddress: AuditVFID] = [:]
        var pfByName: [String: AuditPF] = [:]
        var pfByPCI: [PCIAddress: AuditPF] = [:]
        for pf in input.pfs {
            pfByName[pf.name] = pf
            if let pci = pf.pciAddress { pfByPCI[pci] = pf }
            for vf in pf.vfs.sorted(by: { $0.index < $1.index }) {
                let id = AuditVFID(pf: pf.name, index: vf.index)
                vfs.append(ObservedVF(id: id, pf: pf, vf: vf))
                if let pci = vf.pciAddress { vfByPCI[pci] = id }
            }
        }
        self.vfs = vfs
        vfByID = Dictionary(vfs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.vfByPCI = vfByPCI
        leaseByKey = Dictionary(input.leases.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

        var placements: [Placement] = []
        for assignment in input.assignments {
            let pf = assignment.pfPCIAddress.flatMap { pfByPCI[$0] } ?? pfByName[assignment.pf]
            let vf = AuditVFID(pf: pf?.name ?? assignment.pf, index: assignment.vfIndex)
            placements.append(Placement(assignment: assignment, lease: leaseByKey[assignment.lease], vf: vf, pf: pf,
                                        observed: pf?.vfs.first { $0.index == assignment.vfIndex }))
        }
        self.placements = placements
        placementByVF = Dictionary(placements.map { ($0.vf, $0) }, uniquingKeysWith: { first, _ in first })
        placementByLease = Dictionary(placements.map { ($0.assignment.lease, $0) }, uniquingKeysWith: { first, _ in first })
        leasesByMAC = Dictionary(grouping: input.leases, by: \.mac).mapValues { $0.map(\.key) }
        quarantineByMAC = Dictionary(input.quarantine.map { ($0.mac, $0) }, uniquingKeysWith: { first, _ in first })
        fixes = AuditFixCommands(libvirtURI: input.guests == nil ? nil : input.libvirtURI,
                                 libvirtChecked: input.guests != nil)
        var guestsByPCI: [PCIAddress: [GuestDefinition]] = [:]
        for guest in input.guests ?? [] {
            for pci in Set(Self.interfaces(of: guest).compactMap(\.vfPCIAddress)) {
                guestsByPCI[pci, default: []].append(guest)
            }
        }
        self.guestsByPCI = guestsByPCI
        let guestByName = input.guests.map { Dictionary($0.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }) }
        self.guestByName = guestByName
        let guestByUUID = Dictionary((input.guests ?? []).map { ($0.uuid.lowercased(), $0) },
                                     uniquingKeysWith: { first, _ in first })
        var renamed: [String: GuestDefinition] = [:]
        for (name, uuid) in input.guestUUIDs where guestByName?[name] == nil {
            // The new name must not itself be a database guest: that would be two records for
            // one guest, which attach refuses to create; better reported as it stands.
            if let guest = guestByUUID[uuid.lowercased()], input.guestUUIDs[guest.name] == nil {
                renamed[name] = guest
            }
        }
        renamedGuests = renamed
        databaseNameOfRenamed = Dictionary(renamed.map { ($0.value.name, $0.key) }, uniquingKeysWith: { first, _ in first })
    }

    /// The libvirt guest a database guest name refers to: the guest of that name, or the guest
    /// with its recorded UUID when it was renamed. `nil` when libvirt knows neither (or was
    /// not reachable).
    func libvirtGuest(named name: String) -> GuestDefinition? {
        guestByName?[name] ?? renamedGuests[name]
    }

    /// The name the database knows a libvirt guest by (its old name when it was renamed).
    func databaseName(of guest: GuestDefinition) -> String {
        databaseNameOfRenamed[guest.name] ?? guest.name
    }

    /// The running guest (per libvirt) holding the VF: its assignment's guest, or any guest whose
    /// definition uses the VF's PCI address. `nil` when none runs or libvirt was not reachable.
    func runningGuest(holding id: AuditVFID) -> String? {
        if let guest = placementByVF[id]?.assignment.lease.guest, libvirtGuest(named: guest)?.isActive == true {
            return guest
        }
        return guests(using: id).first { $0.isActive }?.name
    }

    /// The `audit --fix --vf` command for `vfs`. Without libvirt `--fix` leaves assigned VFs
    /// alone (their guest may be running), so for those it carries `--force-running`, or it
    /// would not do what the finding says.
    func repairCommand(_ vfs: [AuditVFID]) -> AuditFixCommand {
        AuditFixCommands.repair(vfs, forceRunning: input.guests == nil && vfs.contains { placementByVF[$0] != nil })
    }

    /// The libvirt guests whose definition (persistent or running) uses the VF's PCI address.
    func guests(using id: AuditVFID) -> [GuestDefinition] {
        vfByID[id]?.vf.pciAddress.flatMap { guestsByPCI[$0] } ?? []
    }

    /// A guest's hostdev interfaces, persistent and running, each once.
    static func interfaces(of guest: GuestDefinition) -> [GuestInterface] {
        var seen = Set(guest.hostdevInterfaces)
        return guest.hostdevInterfaces + (guest.liveHostdevInterfaces ?? []).filter { seen.insert($0).inserted }
    }

    // MARK: objects for findings

    func object(vf id: AuditVFID) -> AuditObject {
        let holder = placementByVF[id].map { "guest \($0.assignment.lease.guest)" } ?? "free"
        return AuditObject(kind: .vf, id: id.objectID, label: "\(id) (\(holder))", host: host)
    }

    func object(lease key: LeaseKey) -> AuditObject {
        AuditObject(kind: .lease, id: key.auditID, label: "lease \(key.guest) on \(key.network) slot \(key.slot)",
                    host: host)
    }

    func object(assignment placement: Placement) -> AuditObject {
        AuditObject(kind: .assignment, id: placement.assignment.lease.auditID,
                    label: "assignment of \(placement.assignment.lease.guest) to \(placement.vf)", host: host)
    }

    func object(guest name: String) -> AuditObject {
        AuditObject(kind: .guest, id: name, label: "guest \(name)", host: host)
    }

    func object(hostInterface interface: AuditHostInterface) -> AuditObject {
        AuditObject(kind: .hostInterface, id: interface.name, label: "host interface \(interface.name)", host: host)
    }

    func object(mac: MACAddress) -> AuditObject {
        AuditObject(kind: .mac, id: mac.description, label: mac.description, host: host)
    }

    /// A finding on this host.
    func finding(_ rule: AuditRule, _ severity: AuditSeverity, _ message: String, objects: [AuditObject],
                 fix: [AuditFixCommand] = []) -> AuditFinding {
        AuditFinding(rule: rule, severity: severity, hosts: [host], message: message, objects: objects, fix: fix)
    }
}
