import SRIOVCore
import SRIOVTesting
import Testing

@Suite("Putting VFs back")
struct AttachmentVFRestoreTests {
    @Test("undoing an attach puts back exactly the fields it set, from the saved state")
    func undoFields() {
        var saved = FakeVFLinkControl.blankVF(3)
        saved.linkState = .disable
        let attempted = VFSettings(mac: mac("02:5a:00:00:00:07"), vlan: PortVLAN(id: 100), trust: false)
        let restore = VFRestoreTarget.settings(undoing: attempted, to: saved)
        #expect(restore == VFSettings(mac: .zero, vlan: PortVLAN.none, trust: false))
    }

    @Test("with no saved state the attempted fields are reset")
    func noSavedState() {
        let restore = VFRestoreTarget.settings(undoing: VFSettings(mac: mac("02:5a:00:00:00:07"), maxTxRate: 100), to: nil)
        #expect(restore == VFSettings(mac: .zero, maxTxRate: 0))
    }

    @Test("a VF showing libvirt's 02:00:00:00:00:00 placeholder already has the zero MAC")
    func placeholderIsZero() {
        var live = FakeVFLinkControl.blankVF(0)
        live.mac = .placeholder
        #expect(VFSettingsDiff.change(to: VFSettings(mac: .zero, vlan: PortVLAN.none), from: live) == nil)
    }

    @Test("on detach a saved MAC that belongs to a lease is not put back")
    func leaseMACNotRestored() throws {
        var saved = FakeVFLinkControl.blankVF(1)
        saved.mac = mac("02:5a:00:00:00:09")
        var snapshot = StateSnapshot()
        snapshot.leases = [LeaseRecord(key: LeaseKey(guest: "old", network: "prod"), mac: mac("02:5a:00:00:00:09"))]
        let row = AssignmentRecord(lease: LeaseKey(guest: "web1", network: "prod"),
                                   vf: VFKey(pf: PFStableID(device: "netdevsim10"), index: 1), vfPCIAddress: nil,
                                   state: .applied, savedState: saved,
                                   desired: VFSettings(mac: mac("02:5a:00:00:00:01"), vlan: PortVLAN(id: 5)),
                                   interface: GuestInterface(mac: mac("02:5a:00:00:00:01"), vfPCIAddress: nil), owner: nil)
        #expect(VFRestoreTarget.onDetach(row, snapshot: snapshot).mac == .zero)
        #expect(VFRestoreTarget.onDetach(row, snapshot: snapshot, reset: true) == VFSettings.reset)
    }

    @Test("a restore whose one-shot request fails is retried field by field and judged by the VF's state")
    func fieldByField() throws {
        let (_, status) = FakeHostBuilder.netdevsimPF("eni10np1", device: "netdevsim10", vfs: 2)
        let links = FakeVFLinkControl(pfs: [status])
        _ = links.apply([VFChange(index: 1, settings: VFSettings(mac: mac("02:5a:00:00:00:01"), vlan: PortVLAN(id: 7)))],
                        on: "eni10np1")
        links.inject(.init(netdev: "eni10np1", vf: 1, error: SRIOVError(.system, "EAGAIN"), times: 1))
        let outcome = try VFSettingsRestorer(links: links).restore(VFSettings(mac: .zero, vlan: PortVLAN.none), vf: 1, on: "eni10np1")
        #expect(outcome.sent == ["mac", "vlan"])
        #expect(links.vf("eni10np1", 1) == FakeVFLinkControl.blankVF(1))
    }
}
