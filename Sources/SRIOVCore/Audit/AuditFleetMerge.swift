/// Merges JSON audit reports from several hosts into one fleet report and adds the
/// cross-host finding: the same MAC on two hosts.
///
/// A MAC counts on a host when a lease, a VF (live) or a guest definition there has it; host
/// interfaces and the quarantine do not take part (they never leave the host). Merging a
/// fleet report again is allowed: its cross-host findings are recomputed, not repeated.
/// Merging a single host's report gives that host's report back (to re-render it).
public enum AuditFleetMerge {
    /// One report to merge and where it came from (a file name, for messages).
    public struct Source: Sendable {
        /// Where the report was read from.
        public var name: String
        /// The decoded report.
        public var report: AuditReport

        /// Creates a source.
        public init(name: String, report: AuditReport) {
            self.name = name
            self.report = report
        }
    }

    /// Merges `sources`. Throws ``SRIOVError/Code/invalidValue`` naming the file when a report
    /// is newer than this program understands or a host appears twice.
    public static func merge(_ sources: [Source], generator: String) throws(SRIOVError) -> AuditReport {
        var sections: [AuditHostSection] = []
        var seenIn: [String: String] = [:]
        var findings: [AuditFinding] = []
        for source in sources {
            if source.report.schemaVersion > AuditReport.currentSchemaVersion {
                throw SRIOVError(.invalidValue, "\(source.name): audit report schema version \(source.report.schemaVersion) "
                                 + "is newer than this sriovctl understands (\(AuditReport.currentSchemaVersion))")
            }
            for section in source.report.hosts {
                if let other = seenIn[section.host] {
                    throw SRIOVError(.invalidValue, "\(source.name): host \(section.host) is already in \(other)")
                }
                seenIn[section.host] = source.name
                sections.append(section)
            }
            findings += source.report.findings.filter { $0.rule != .duplicateMACAcrossHosts }
        }
        sections.sort { $0.host < $1.host }
        findings += crossHostDuplicates(sections)
        // One host merged is that host's report again (e.g. to render a saved JSON report as HTML).
        return AuditReport(generator: generator, host: sections.count == 1 ? sections[0].host : nil, hosts: sections,
                           findings: AuditReport.ordered(findings))
    }

    /// Where one MAC was seen on one host.
    private struct Place {
        var host: String
        var locations: [AuditObject]
        var leases: [AuditFixCommand]
    }

    private static func crossHostDuplicates(_ sections: [AuditHostSection]) -> [AuditFinding] {
        let kinds: Set<AuditObject.Kind> = [.lease, .vf, .guest]
        var byMAC: [MACAddress: [Place]] = [:]
        for section in sections {
            // What to run on that host to drop its leases of a MAC.
            let fixes = AuditFixCommands(libvirtURI: section.libvirtURI, libvirtChecked: section.libvirtChecked)
            var leases: [MACAddress: [AuditFixCommand]] = [:]
            for guest in section.inventory.guests {
                for lease in guest.leases {
                    let key = LeaseKey(guest: guest.name, network: lease.network, slot: lease.slot)
                    leases[lease.mac, default: []].append(
                        fixes.forget(key, guestExists: guest.state == .running || guest.state == .stopped))
                }
            }
            for entry in section.inventory.macs where !entry.mac.isUnsetOrPlaceholder {
                let here = entry.locations.filter { kinds.contains($0.kind) }
                if !here.isEmpty {
                    byMAC[entry.mac, default: []].append(Place(host: section.host, locations: here,
                                                               leases: leases[entry.mac] ?? []))
                }
            }
        }
        return byMAC.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }.map { mac, places in
            let liveHosts = places.filter { $0.locations.contains { $0.kind == .vf } }
            let text = places.map { "\($0.host) (\($0.locations.map(\.label).joined(separator: ", ")))" }
            var message = "MAC \(mac) is on \(places.count) hosts: \(text.joined(separator: "; "))"
            var fix: [AuditFixCommand] = []
            if liveHosts.count == 1 {
                // Live on one host: the other hosts hold leftovers; release their leases there.
                let others = places.filter { $0.host != liveHosts[0].host }
                fix = others.flatMap(\.leases)
                if !fix.isEmpty { message += "; it is live on \(liveHosts[0].host): run the fix on \(others.map(\.host).joined(separator: ", "))" }
            }
            let objects = places.flatMap { place in
                [AuditObject(kind: .host, id: place.host, label: "host \(place.host)", host: place.host)] + place.locations
            }
            return AuditFinding(rule: .duplicateMACAcrossHosts, severity: liveHosts.count > 1 ? .critical : .error,
                                hosts: places.map(\.host), message: message,
                                objects: [AuditObject(kind: .mac, id: mac.description, label: mac.description,
                                                      host: places[0].host)] + objects,
                                fix: fix)
        }
    }
}
