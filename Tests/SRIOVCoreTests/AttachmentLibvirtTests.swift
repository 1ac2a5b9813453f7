import SRIOVCore
import SRIOVTesting
import Testing

@Suite("Attach and detach through libvirt")
struct AttachmentLibvirtTests {
    @Test("--apply attaches to a stopped guest's config only and to a running guest live and config")
    func scopes() throws {
        let host = AttachmentFixture()
        let stopped = try host.attach("web1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        #expect(stopped.libvirt?.scope == ["config"])
        let running = try host.attach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        #expect(running.libvirt?.scope == ["live", "config"])
        #expect(host.libvirt.calls.map(\.scope) == [[.config], [.live, .config]])
        #expect(host.libvirt.calls[0].xml.contains("02:5a:00:00:00:00"))
        #expect(try host.libvirt.guest(named: "web1")?.uuid == "6f1c1a2e-0000-4000-8000-000000000001")
        #expect(try host.store.read().guest(named: "web1")?.uuid == "6f1c1a2e-0000-4000-8000-000000000001")
    }

    @Test("attaching again with --apply does not add the interface twice")
    func idempotentApply() throws {
        let host = AttachmentFixture()
        _ = try host.attach("web1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        let again = try host.attach("web1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        #expect(again.libvirt?.action == "already-present")
        #expect(host.libvirt.calls.count == 1)
        // A running guest whose live definition lacks it (attached --config only) gets a live attach.
        _ = try host.attach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply(scope: .config) }
        let live = try host.attach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        #expect(live.libvirt?.action == "attached" && live.libvirt?.scope == ["live"])
    }

    @Test("a guest libvirt does not know, or whose UUID differs, is refused and nothing changes")
    func unknownGuest() throws {
        let host = AttachmentFixture()
        #expect {
            try host.attach("ghost", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        } throws: { ($0 as! SRIOVError).message.contains("libvirt has no guest named 'ghost'") }
        #expect {
            try host.attach("web1", network: "pci", libvirt: true) { $0.uuid = "6f1c1a2e-0000-4000-8000-0000000000ff" }
        } throws: { ($0 as! SRIOVError).message.contains("has UUID 6f1c1a2e-0000-4000-8000-000000000001 in libvirt") }
        #expect(host.store.committedUpdates == 0)
    }

    @Test("--live on a stopped guest is refused before anything changes")
    func liveOnStopped() throws {
        let host = AttachmentFixture()
        #expect {
            try host.attach("web1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply(scope: .live) }
        } throws: { ($0 as! SRIOVError).message.contains("--live needs a running guest") }
        #expect(host.links.requests.isEmpty && host.store.committedUpdates == 0)
    }

    @Test("when libvirt refuses the device, the new assignment is undone: VF as before, no lease")
    func libvirtFailureUndoes() throws {
        let host = AttachmentFixture()
        host.libvirt.failNext(SRIOVError(.libvirt, "internal error: unable to execute QEMU command 'device_add'"))
        #expect {
            try host.attach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        } throws: { ($0 as! SRIOVError).message.contains("device_add") }
        let snapshot = try host.store.read()
        #expect(snapshot.leases.isEmpty && snapshot.assignments.isEmpty)
        #expect(host.vf(0, on: "enp59s0f0") == FakeVFLinkControl.blankVF(0))
    }

    @Test("a VF without a PCI address cannot be handed to libvirt: refused before anything changes")
    func netdevsimCannotApply() throws {
        let host = AttachmentFixture()
        #expect {
            try host.attach("web1", network: "prod", libvirt: true) { $0.libvirt = LibvirtApply() }
        } throws: { ($0 as! SRIOVError).message.contains("no PCI address") }
        #expect(host.links.requests.isEmpty)
        #expect(try host.store.read().leases.isEmpty)
    }

    @Test("VFs a libvirt guest already uses are not chosen")
    func skipsVFsUsedByGuests() throws {
        let host = AttachmentFixture()
        host.libvirt.define(GuestDefinition(name: "legacy", uuid: "6f1c1a2e-0000-4000-8000-000000000009", isActive: true,
                                            hostdevInterfaces: [GuestInterface(mac: mac("52:54:00:99:99:99"),
                                                                               vfPCIAddress: PCIAddress("0000:3b:02.0"))]))
        let result = try host.attach("web1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        #expect(result.vfIndex == 1)
    }

    @Test("detach --apply removes the interface from libvirt, then frees the VF")
    func detachApply() throws {
        let host = AttachmentFixture()
        _ = try host.attach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        let result = try host.detach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        #expect(result.libvirt == "detached")
        #expect(host.libvirt.calls.last?.operation == "detach" && host.libvirt.calls.last?.scope == [.live, .config])
        #expect(try host.libvirt.guest(named: "db1")?.hostdevInterfaces.isEmpty == true)
        #expect(try host.libvirt.guest(named: "db1")?.liveHostdevInterfaces?.isEmpty == true)
    }

    @Test("when libvirt refuses the detach, nothing changes")
    func detachLibvirtFailure() throws {
        let host = AttachmentFixture()
        _ = try host.attach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        let before = try host.tables()
        host.libvirt.failNext(SRIOVError(.libvirt, "operation failed: device not found"))
        #expect(throws: SRIOVError.self) {
            try host.detach("db1", network: "pci", libvirt: true) { $0.libvirt = LibvirtApply() }
        }
        #expect(try host.tables() == before)
    }
}
