import SRIOVCore
import SRIOVTesting
import Testing

/// Each rule fires on its own case, and every case produces exactly the findings listed:
/// a rule that fired on something else would show up as an extra finding.
@Suite("Audit rules")
struct AuditRuleTests {
    typealias S = AuditSnapshots

    func audit(_ change: (inout AuditInput) -> Void) -> AuditReport {
        var input = S.cleanHost()
        change(&input)
        return AuditEngine.audit(input)
    }

    func rules(_ change: (inout AuditInput) -> Void) -> [AuditRule] {
        audit(change).findings.map(\.rule).sorted { $0.rawValue < $1.rawValue }
    }

    func only(_ change: (inout AuditInput) -> Void) throws -> AuditFinding {
        let findings = audit(change).findings
        #expect(findings.count == 1, "expected one finding, got \(findings.map { "\($0.rule.rawValue): \($0.message)" })")
        return try #require(findings.first)
    }

    func setLive(_ input: inout AuditInput, vf: Int, _ change: (inout VFState) -> Void) {
        change(&input.pfs[0].vfs[vf].live!)
    }

    // MARK: clean

    @Test("A consistent host has no findings and exits 0")
    func clean() {
        let report = audit { _ in }
        #expect(report.findings.isEmpty)
        #expect(report.exitStatus(failOn: .info) == 0)
        #expect(report.summary.text == "no findings")
    }

    // MARK: duplicate

    @Test("A leased MAC copied onto a free VF: duplicate on VFs (critical) and stale (error)")
    func duplicateOnVFs() {
        let report = audit { setLive(&$0, vf: 5) { $0.mac = S.poolMAC(1) } }
        #expect(report.findings.map(\.rule) == [.duplicateMACOnVFs, .staleLeasedMAC])
        let duplicate = report.findings[0]
        #expect(duplicate.severity == .critical)
        #expect(duplicate.message == "MAC 02:5a:00:00:00:01 is live on 2 VFs: eth0 VF 0 (guest web1), eth0 VF 5 (free)")
        // The fix resets the free VF, never web1's.
        #expect(duplicate.fix.map(\.commandLine) == ["sriovctl audit --fix --vf eth0:5"])
    }

    @Test("One foreign MAC on two free VFs: one duplicate, two stale")
    func duplicateOnTwoFreeVFs() {
        let mac = MACAddress("52:54:00:aa:bb:cc")!
        let report = audit { input in
            setLive(&input, vf: 4) { $0.mac = mac }
            setLive(&input, vf: 6) { $0.mac = mac }
        }
        #expect(report.findings.map(\.rule) == [.duplicateMACOnVFs, .staleMAC, .staleMAC])
        #expect(report.findings[0].fix.map(\.commandLine) == ["sriovctl audit --fix --vf eth0:4 --vf eth0:6"])
    }

    @Test("A VF carrying a host interface's MAC is a critical duplicate")
    func duplicateWithHostInterface() throws {
        let finding = try only {
            $0.hostInterfaces.append(AuditHostInterface(name: "br0", mac: S.poolMAC(1)))
        }
        #expect(finding.rule == .duplicateMACOnHostInterface)
        #expect(finding.severity == .critical)
        #expect(finding.message.contains("host interface br0") && finding.message.contains("eth0 VF 0"))
        // web1's VF expects this MAC: the lease must get a new one.
        #expect(finding.fix.map(\.commandLine) == [
            "sriovctl detach web1 --network prod --forget --apply",
            "sriovctl attach web1 --network prod --apply",
        ])
    }

    @Test("A VF's own netdev (and a VLAN on it) sharing its MAC is not a duplicate")
    func vfOwnNetdevIsNotDuplicate() {
        let own = AuditVFID(pf: "eth0", index: 0)
        #expect(rules {
            $0.hostInterfaces.append(AuditHostInterface(name: "eth2", mac: S.poolMAC(1), vf: own))
            $0.hostInterfaces.append(AuditHostInterface(name: "eth2.100", mac: S.poolMAC(1), vf: own))
        } == [])
    }

    @Test("Two leases with one MAC: duplicate in leases (error), nothing else")
    func duplicateInLeases() throws {
        let finding = try only { input in
            input.leases.append(LeaseRecord(key: LeaseKey(guest: "app2", network: "prod"), mac: S.poolMAC(3)))
            input.guests!.append(GuestDefinition(name: "app2", uuid: "u", isActive: false, hostdevInterfaces: []))
        }
        #expect(finding.rule == .duplicateMACInLeases)
        #expect(finding.severity == .error)
        #expect(finding.objects.filter { $0.kind == .lease }.map(\.id) == ["app1/prod/0", "app2/prod/0"])
        #expect(finding.fix.map(\.commandLine) == ["sriovctl detach app2 --network prod --forget --apply"])
    }

    // MARK: drift

    @Test("A changed MAC on an assigned VF is drift (error), repaired by audit --fix")
    func driftMAC() throws {
        let finding = try only { setLive(&$0, vf: 0) { $0.mac = MACAddress("02:5a:00:00:00:99")! } }
        #expect(finding.rule == .drift)
        #expect(finding.severity == .error)
        #expect(finding.message == "eth0 VF 0 (guest web1, prod) drifted: "
                + "mac 02:5a:00:00:00:01 in the database, 02:5a:00:00:00:99 on the VF")
        #expect(finding.fix.map(\.commandLine) == ["sriovctl audit --fix --vf eth0:0"])
    }

    @Test("VLAN drift is an error, QoS drift a warning", arguments: [
        (PortVLAN(id: 200), "vlan 100 in the database, 200 on the VF", AuditSeverity.error),
        (PortVLAN(id: 100, qos: 3), "qos 0 in the database, 3 on the VF", .warning),
        (PortVLAN(id: 100, proto: .ieee8021AD), "vlan-protocol 802.1Q in the database, 802.1ad on the VF", .error),
    ])
    func driftVLAN(vlan: PortVLAN, text: String, severity: AuditSeverity) throws {
        let finding = try only { setLive(&$0, vf: 1) { $0.vlans = [vlan] } }
        #expect(finding.rule == .drift)
        #expect(finding.severity == severity)
        #expect(finding.message.hasSuffix(text))
    }

    @Test("Trust, spoofchk and link state drift are warnings")
    func driftFlags() throws {
        let trust = try only { setLive(&$0, vf: 1) { $0.trust = true } }
        #expect(trust.rule == .drift && trust.severity == .warning && trust.message.hasSuffix("trust off in the database, on on the VF"))
        let link = try only { setLive(&$0, vf: 1) { $0.linkState = .disable } }
        #expect(link.rule == .drift && link.message.hasSuffix("linkState auto in the database, disable on the VF"))
        // spoofchk off without trust on db1's VF: the drift and the policy both apply.
        let report = audit { setLive(&$0, vf: 1) { $0.spoofCheck = false } }
        #expect(report.findings.map(\.rule) == [.drift, .spoofCheckOffUntrusted])
        #expect(report.findings[1].fix.map(\.commandLine) == ["sriovctl audit --fix --vf eth0:1"])
    }

    @Test("A field the driver does not report cannot drift")
    func unreportedFieldsDoNotDrift() {
        #expect(rules { setLive(&$0, vf: 0) { $0.trust = nil; $0.linkState = nil } } == [])
    }

    @Test("An assignment to a VF the kernel does not report")
    func assignedVFMissing() throws {
        let finding = try only { input in
            let lease = LeaseRecord(key: LeaseKey(guest: "gone-vf", network: "prod"), mac: S.poolMAC(9))
            input.leases.append(lease)
            input.assignments.append(AuditAssignment(lease: lease.key, pf: "eth0", vfIndex: 9, vfPCIAddress: S.vfPCI(9),
                                                     settings: S.prodSettings(mac: lease.mac)))
            input.guests!.append(GuestDefinition(name: "gone-vf", uuid: "u", isActive: false, hostdevInterfaces: [
                GuestInterface(mac: lease.mac, vfPCIAddress: S.vfPCI(9))]))
        }
        #expect(finding.rule == .assignedVFMissing)
        #expect(finding.message == "eth0 VF 9 is assigned to guest gone-vf (prod) but eth0 does not report VF 9")
    }

    @Test("An attach in progress is neither drift nor free")
    func inProgress() {
        #expect(rules { input in
            input.assignments[1].inProgress = true
            input.pfs[0].vfs[1].live = S.freeLive(1)
        } == [])
    }

    @Test("A PF whose VFs could not be read yields no drift, and its VFs show as unknown")
    func unreadablePF() {
        let report = audit { input in
            input.pfs[0].readError = "netlink: permission denied"
            for i in input.pfs[0].vfs.indices { input.pfs[0].vfs[i].live = nil }
        }
        #expect(report.findings.isEmpty)
        #expect(report.hosts[0].inventory.pfs[0].vfs.allSatisfy { $0.status == .unknown })
    }

    // MARK: stale

    @Test("A free VF with some other MAC is stale (warning)")
    func staleMAC() throws {
        let finding = try only { setLive(&$0, vf: 6) { $0.mac = MACAddress("52:54:00:12:34:56")! } }
        #expect(finding.rule == .staleMAC && finding.severity == .warning)
        #expect(finding.message == "eth0 VF 6 is free but carries MAC 52:54:00:12:34:56")
        #expect(finding.fix.map(\.commandLine) == ["sriovctl audit --fix --vf eth0:6"])
    }

    @Test("A free VF with the placeholder 02:00:00:00:00:00 is not stale")
    func placeholderIsNotStale() {
        #expect(rules { setLive(&$0, vf: 6) { $0.mac = .placeholder } } == [])
    }

    @Test("A free VF with a detached guest's leased MAC is stale-leased (error)")
    func staleLeasedMAC() throws {
        let finding = try only { setLive(&$0, vf: 6) { $0.mac = S.poolMAC(3) } }
        #expect(finding.rule == .staleLeasedMAC && finding.severity == .error)
        #expect(finding.message == "eth0 VF 6 is free but carries MAC 02:5a:00:00:00:03, leased to app1 (prod)")
    }

    @Test("A free VF with a quarantined (released) MAC is stale-leased")
    func staleQuarantinedMAC() throws {
        let finding = try only { input in
            input.quarantine = [QuarantinedMAC(mac: S.poolMAC(0x77), formerGuest: "old", network: "prod")]
            setLive(&input, vf: 6) { $0.mac = S.poolMAC(0x77) }
        }
        #expect(finding.rule == .staleLeasedMAC)
        #expect(finding.message == "eth0 VF 6 is free but carries MAC 02:5a:00:00:00:77, "
                + "dropped by departed guest old (prod) and quarantined")
    }

    // MARK: orphan

    @Test("A lease whose guest is gone from libvirt is an orphan lease (warning)")
    func orphanLease() throws {
        let finding = try only { $0.guests!.removeAll { $0.name == "app1" } }
        #expect(finding.rule == .orphanLease && finding.severity == .warning)
        #expect(finding.fix.map(\.commandLine) == ["sriovctl detach app1 --network prod --forget"])
    }

    @Test("An assignment whose guest is gone from libvirt is an orphan assignment (error)")
    func orphanAssignment() throws {
        let finding = try only { $0.guests!.removeAll { $0.name == "db1" } }
        #expect(finding.rule == .orphanAssignment && finding.severity == .error)
        #expect(finding.message == "eth0 VF 1 is assigned to guest db1 (prod), which libvirt does not know")
        #expect(finding.fix.map(\.commandLine) == ["sriovctl detach db1 --network prod --forget"])
    }

    /// web1 (running, VF 0) renamed to web1-new in libvirt, same UUID as the database recorded.
    func renameWeb1(_ input: inout AuditInput) {
        input.guestUUIDs = ["web1": "6F1C0D2E-0000-4000-8000-000000000001"]
        let i = input.guests!.firstIndex { $0.name == "web1" }!
        input.guests![i].name = "web1-new"
    }

    @Test("A guest renamed in libvirt (same UUID) is no orphan: one warning whose fix records the new name and keeps the MAC")
    func renamedGuest() throws {
        let report = audit { renameWeb1(&$0) }
        // Not orphan-assignment (whose fix would forget the MAC) nor orphan-guest-interface
        // (whose fix would detach the guest's NIC): only the rename.
        let finding = try only { renameWeb1(&$0) }
        #expect(finding.rule == .mismatchGuestRenamed && finding.severity == .warning)
        #expect(finding.message == "guest web1 (UUID 6F1C0D2E-0000-4000-8000-000000000001) is named web1-new in "
                + "libvirt now; its lease on prod (MAC 02:5a:00:00:00:01) is still recorded under web1")
        #expect(finding.fix.map(\.commandLine) == [
            "sriovctl attach web1-new --network prod --uuid 6F1C0D2E-0000-4000-8000-000000000001"])
        // Its VF still counts as held by a running guest: --fix leaves it alone.
        let guest = try #require(report.hosts[0].inventory.guests.first { $0.name == "web1" })
        #expect(guest.state == .running)
        #expect(!report.hosts[0].inventory.guests.contains { $0.name == "web1-new" })
    }

    @Test("A renamed guest whose definition disagrees with its lease is still checked against it")
    func renamedGuestStillChecked() {
        let found = rules { input in
            renameWeb1(&input)
            let i = input.guests!.firstIndex { $0.name == "web1-new" }!
            input.guests![i].hostdevInterfaces[0].mac = S.poolMAC(0x40)
        }
        #expect(found == [.mismatchGuestRenamed, .mismatchMAC])
    }

    @Test("Recorded UUIDs of guests libvirt still knows by the same name change nothing")
    func recordedUUIDsOfUnrenamedGuests() {
        #expect(rules { input in
            input.guestUUIDs = ["web1": "6f1c0d2e-0000-4000-8000-000000000001",
                                "db1": "6f1c0d2e-0000-4000-8000-000000000002"]
        } == [])
    }

    @Test("A renamed guest's new name that the database also knows is not taken for a rename")
    func renameOntoKnownName() {
        // db1 is gone from libvirt; its recorded UUID now belongs to a guest named web1, which
        // the database knows separately: two records for one guest, reported as they stand.
        let found = rules { input in
            input.guestUUIDs = ["db1": "6f1c0d2e-0000-4000-8000-000000000001",
                                "web1": "6f1c0d2e-0000-4000-8000-000000000001"]
            input.guests!.removeAll { $0.name == "db1" }
        }
        #expect(found == [.orphanAssignment])
    }

    @Test("Without libvirt a drifted VF's suggested repair carries --force-running (--fix would skip it otherwise); a free VF's does not")
    func repairSuggestionsWithoutLibvirt() {
        let report = audit { input in
            input.guests = nil
            setLive(&input, vf: 1) { $0.trust = true }
            setLive(&input, vf: 6) { $0.mac = S.poolMAC(3) }
        }
        #expect(report.findings.map(\.rule) == [.staleLeasedMAC, .drift])
        #expect(report.findings.map { $0.fix.map(\.commandLine) } == [
            ["sriovctl audit --fix --vf eth0:6"], ["sriovctl audit --fix --force-running --vf eth0:1"]])
    }

    @Test("Without libvirt, orphan and mismatch rules are skipped")
    func libvirtUnreachable() {
        #expect(rules { $0.guests = nil } == [])
    }

    @Test("A guest's hostdev interface on a VF sriovctl considers free is an orphan interface (error)")
    func orphanGuestInterface() throws {
        let mac = MACAddress("52:54:00:00:00:42")!
        let finding = try only { input in
            input.guests!.append(GuestDefinition(name: "rogue", uuid: "u", isActive: true, hostdevInterfaces: [
                GuestInterface(mac: mac, vfPCIAddress: S.vfPCI(4))]))
            // libvirt programs the guest's MAC on the VF at start: not reported as stale too.
            setLive(&input, vf: 4) { $0.mac = mac }
        }
        #expect(finding.rule == .orphanGuestInterface && finding.severity == .error)
        #expect(finding.message.contains("free for sriovctl"))
        #expect(finding.fix.map(\.commandLine) == [
            "virsh -c qemu:///system detach-interface --domain rogue --type hostdev --mac 52:54:00:00:00:42 --config --live",
        ])
        let report = audit { input in
            input.guests!.append(GuestDefinition(name: "rogue", uuid: "u", isActive: true, hostdevInterfaces: [
                GuestInterface(mac: mac, vfPCIAddress: S.vfPCI(4))]))
        }
        #expect(report.hosts[0].inventory.pfs[0].vfs[4].status == .foreign)
    }

    @Test("A hostdev interface on a PCI address that is no audited VF is info")
    func orphanInterfaceElsewhere() throws {
        let finding = try only { input in
            input.guests![2].hostdevInterfaces = [GuestInterface(mac: MACAddress("52:54:00:00:00:43")!,
                                                                 vfPCIAddress: PCIAddress("0000:81:00.1"))]
        }
        #expect(finding.rule == .orphanGuestInterface && finding.severity == .info)
    }

    // MARK: mismatch

    @Test("A guest's <mac> that differs from its lease is a mismatch (error)")
    func mismatchMAC() throws {
        let finding = try only { $0.guests![0].hostdevInterfaces[0].mac = MACAddress("02:5a:00:00:00:55")! }
        #expect(finding.rule == .mismatchMAC && finding.severity == .error)
        #expect(finding.message == "guest web1 defines MAC 02:5a:00:00:00:55 on eth0 VF 0 (0000:0b:10.0), "
                + "but its lease on prod has 02:5a:00:00:00:01")
        #expect(finding.fix.map(\.commandLine) == [
            "virsh -c qemu:///system detach-interface --domain web1 --type hostdev --mac 02:5a:00:00:00:55 --config --live",
            "sriovctl attach web1 --network prod --apply",
        ])
    }

    @Test("A running guest's live definition is checked too, saying so")
    func liveDefinition() throws {
        let finding = try only { input in
            var live = input.guests![0].hostdevInterfaces
            live[0].mac = MACAddress("02:5a:00:00:00:56")!
            input.guests![0].liveHostdevInterfaces = live
        }
        #expect(finding.rule == .mismatchMAC)
        #expect(finding.message.hasSuffix("but its lease on prod has 02:5a:00:00:00:01 (in the running definition)"))
        // Wrong in both: reported once.
        #expect(rules { input in
            input.guests![0].hostdevInterfaces[0].mac = MACAddress("02:5a:00:00:00:56")!
            input.guests![0].liveHostdevInterfaces = input.guests![0].hostdevInterfaces
        } == [.mismatchMAC])
    }

    @Test("A guest's <source> that differs from its lease's VF is a mismatch (error)")
    func mismatchSource() throws {
        let finding = try only { $0.guests![1].hostdevInterfaces[0].vfPCIAddress = S.vfPCI(3) }
        #expect(finding.rule == .mismatchSource && finding.severity == .error)
        #expect(finding.message == "guest db1 uses MAC 02:5a:00:00:00:02 on source 0000:0b:10.3, "
                + "but its lease on prod holds eth0 VF 1 (0000:0b:10.1)")
    }

    @Test("An assignment whose guest defines no interface for it (warning)")
    func missingInterface() throws {
        let finding = try only { $0.guests![1].hostdevInterfaces = [] }
        #expect(finding.rule == .mismatchMissingInterface && finding.severity == .warning)
    }

    // MARK: policy

    @Test("A lease MAC outside the pool (warning); with no pool known, nothing")
    func outsidePool() throws {
        let mac = MACAddress("06:00:00:00:00:01")!
        let finding = try only { $0.leases[2].mac = mac }
        #expect(finding.rule == .macOutsidePool && finding.severity == .warning)
        #expect(finding.message == "guest app1 (prod) is leased MAC 06:00:00:00:00:01, "
                + "outside the MAC pool 02:5a:00:00:00:00-02:5a:ff:ff:ff:ff")
        #expect(finding.fix.map(\.commandLine) == ["sriovctl detach app1 --network prod --forget --apply"])
        #expect(rules { $0.leases[2].mac = mac; $0.macPool = nil } == [])
    }

    @Test("A multicast lease MAC (error), reported once")
    func multicast() throws {
        let finding = try only { $0.leases[2].mac = MACAddress("03:5a:00:00:00:01")! }
        #expect(finding.rule == .multicastMAC && finding.severity == .error)
    }

    @Test("A universally administered lease MAC (warning), unless the pool is the operator's own OUI")
    func universal() throws {
        let mac = MACAddress("00:1b:21:00:00:09")!
        let finding = try only { $0.leases[2].mac = mac }
        #expect(finding.rule == .universalMAC && finding.severity == .warning)
        #expect(rules {
            $0.leases[2].mac = mac
            $0.macPool = MACPool(first: MACAddress("00:1b:21:00:00:00")!, last: MACAddress("02:5a:ff:ff:ff:ff")!)
        } == [])
    }

    @Test("An assigned VF with spoofchk off and no trust (warning); trusted or free VFs are fine")
    func spoofCheck() throws {
        let off = { (input: inout AuditInput) in
            input.assignments[1].settings.spoofCheck = false
            input.pfs[0].vfs[1].live!.spoofCheck = false
        }
        let finding = try only(off)
        #expect(finding.rule == .spoofCheckOffUntrusted && finding.severity == .warning)
        #expect(finding.fix.map(\.commandLine) == ["sriovctl vf set eth0 1 --spoofchk on"])
        #expect(rules { off(&$0); $0.assignments[1].settings.trust = true; $0.pfs[0].vfs[1].live!.trust = true } == [])
        #expect(rules { setLive(&$0, vf: 5) { $0.spoofCheck = false } } == [])
    }

    // MARK: exit status and fixes

    @Test("--fail-on decides the exit status")
    func exitStatus() {
        let report = audit { setLive(&$0, vf: 6) { $0.mac = MACAddress("52:54:00:12:34:56")! } }  // one warning
        #expect(report.exitStatus(failOn: .info) == 1)
        #expect(report.exitStatus(failOn: .warning) == 1)
        #expect(report.exitStatus(failOn: .error) == 0)
        #expect(report.exitStatus(failOn: .critical) == 0)
    }

    @Test("Names from libvirt and the database are quoted safely in fix commands")
    func quoting() {
        let command = AuditFixCommand(["sriovctl", "detach", "it's $(rm -rf /)", "--network", "a b", "--forget"])
        #expect(command.commandLine == #"sriovctl detach 'it'\''s $(rm -rf /)' --network 'a b' --forget"#)
        #expect(AuditFixCommand(["virsh", ""]).commandLine == "virsh ''")
    }

    @Test("Findings of one rule are ordered by VF index in numeric order")
    func numericOrder() {
        let report = audit { input in
            input.pfs[0].vfs += (8..<12).map { AuditVF(index: $0, live: S.freeLive($0)) }
            for v in [2, 10, 3, 11] { input.pfs[0].vfs[v].live!.mac = MACAddress(integer: 0x52_54_00_00_00_00 + UInt64(v)) }
        }
        #expect(report.findings.map { $0.objects[0].id } == ["eth0/2", "eth0/3", "eth0/10", "eth0/11"])
    }

    @Test("Findings are ordered worst first")
    func ordering() {
        let report = audit { input in
            setLive(&input, vf: 6) { $0.mac = MACAddress("52:54:00:12:34:56")! }  // warning
            setLive(&input, vf: 0) { $0.mac = MACAddress("02:5a:00:00:00:99")! }  // error
            input.hostInterfaces.append(AuditHostInterface(name: "br0", mac: S.poolMAC(2)))  // critical
        }
        #expect(report.findings.map(\.severity) == [.critical, .error, .warning])
        #expect(report.summary.text == "3 findings (1 critical, 1 error, 1 warning)")
    }
}
