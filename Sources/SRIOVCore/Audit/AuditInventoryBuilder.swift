/// Builds a host's ``AuditInventory`` from the snapshot and the findings (a VF's status in
/// the picture follows the findings that name it, so the two never disagree).
enum AuditInventoryBuilder {
    static func build(_ context: AuditContext, findings: [AuditFinding]) -> AuditInventory {
        AuditInventory(pfs: pfs(context, findings: findings), guests: guests(context),
                       networks: networks(context), macs: macs(context))
    }

    private static func pfs(_ context: AuditContext, findings: [AuditFinding]) -> [AuditInventoryPF] {
        var rulesByVF: [String: Set<AuditRule>] = [:]
        var worstByVF: [String: AuditSeverity] = [:]
        for finding in findings {
            for object in finding.objects where object.kind == .vf {
                rulesByVF[object.id, default: []].insert(finding.rule)
                worstByVF[object.id] = max(worstByVF[object.id] ?? finding.severity, finding.severity)
            }
        }
        return context.input.pfs.map { pf in
            let vfs = pf.vfs.sorted { $0.index < $1.index }.map { vf -> AuditInventoryVF in
                let id = AuditVFID(pf: pf.name, index: vf.index)
                let key = id.objectID
                let rules = rulesByVF[key] ?? []
                let placement = context.placementByVF[id]
                let foreignGuest = placement == nil ? context.guests(using: id).first?.name : nil
                let status: AuditVFStatus
                if vf.live == nil {
                    status = .unknown
                } else if placement != nil {
                    status = rules.contains(.drift) ? .drifted : .assigned
                } else if foreignGuest != nil {
                    status = .foreign
                } else {
                    status = rules.contains(.staleLeasedMAC) || rules.contains(.staleMAC) ? .stale : .free
                }
                let lease = placement?.assignment.lease
                return AuditInventoryVF(
                    index: vf.index, pciAddress: vf.pciAddress, status: status, worstFinding: worstByVF[key],
                    mac: vf.live?.mac, vlan: vf.live.map { $0.vlan.description }, spoofCheck: vf.live?.spoofCheck,
                    trust: vf.live?.trust, linkState: vf.live?.linkState, guest: lease?.guest ?? foreignGuest,
                    network: lease?.network, lease: lease?.auditID, expectedMAC: placement?.expected.mac)
            }
            return AuditInventoryPF(name: pf.name, pciAddress: pf.pciAddress, operState: pf.operState,
                                    readError: pf.readError, vfs: vfs)
        }
    }

    private static func guests(_ context: AuditContext) -> [AuditInventoryGuest] {
        let leasesByGuest = Dictionary(grouping: context.input.leases, by: \.key.guest)
        var names = Set(leasesByGuest.keys)
        for guest in context.input.guests ?? [] { names.insert(context.databaseName(of: guest)) }
        return names.sorted().map { name in
            let definition = context.libvirtGuest(named: name)
            let state: AuditGuestState
            if context.guestByName == nil {
                state = .unknown
            } else if let definition {
                state = definition.isActive ? .running : .stopped
            } else {
                state = .undefined
            }
            let leases = (leasesByGuest[name] ?? []).sorted { $0.key < $1.key }.map { lease in
                AuditInventoryGuest.Lease(network: lease.key.network, slot: lease.key.slot, mac: lease.mac,
                                          vf: context.placementByLease[lease.key].map(\.vf.objectID))
            }
            let defined = (definition?.hostdevInterfaces ?? []).map {
                AuditInventoryGuest.DefinedInterface(mac: $0.mac, pciAddress: $0.vfPCIAddress)
            }
            return AuditInventoryGuest(name: name, state: state, leases: leases, definedInterfaces: defined)
        }
    }

    private static func networks(_ context: AuditContext) -> [AuditInventoryNetwork] {
        Dictionary(grouping: context.input.leases, by: \.key.network).sorted { $0.key < $1.key }.map { name, leases in
            AuditInventoryNetwork(name: name, leases: leases.count,
                                  assigned: leases.count { context.placementByLease[$0.key] != nil },
                                  guests: Set(leases.map(\.key.guest)).sorted())
        }
    }

    private static func macs(_ context: AuditContext) -> [AuditInventoryMAC] {
        var locations: [MACAddress: [AuditObject]] = [:]
        for lease in context.input.leases.sorted(by: { $0.key < $1.key }) {
            locations[lease.mac, default: []].append(context.object(lease: lease.key))
        }
        for entry in context.input.quarantine {
            locations[entry.mac, default: []].append(
                AuditObject(kind: .quarantine, id: entry.mac.description,
                            label: "quarantined (dropped by \(entry.formerGuest) on \(entry.network))", host: context.host))
        }
        for observed in context.vfs {
            guard let mac = observed.vf.live?.mac, !mac.isUnsetOrPlaceholder else { continue }
            locations[mac, default: []].append(context.object(vf: observed.id))
        }
        for interface in context.input.hostInterfaces.sorted(by: { $0.name < $1.name }) where !interface.mac.isZero {
            locations[interface.mac, default: []].append(context.object(hostInterface: interface))
        }
        for guest in (context.input.guests ?? []).sorted(by: { $0.name < $1.name }) {
            for interface in guest.hostdevInterfaces {
                let source = interface.vfPCIAddress.map { " on \($0)" } ?? ""
                locations[interface.mac, default: []].append(
                    AuditObject(kind: .guest, id: guest.name, label: "guest \(guest.name) definition\(source)",
                                host: context.host))
            }
        }
        return locations.sorted { $0.key < $1.key }.map { AuditInventoryMAC(mac: $0.key, locations: $0.value) }
    }
}
