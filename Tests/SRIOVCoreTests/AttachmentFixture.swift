import SRIOVCore
import SRIOVTesting

/// A fake host for attachment tests:
/// - `eni10np1`: netdevsim PF (device netdevsim10), 4 VFs, no PCI;
/// - `enp59s0f0`: PCI PF 0000:3b:00.0 with 4 VFs at 0000:3b:02.0-3, one IOMMU group each (20-23);
/// - networks `prod` (eni10np1, VLAN 100, VF 0 excluded) and `pci` (enp59s0f0, no VLAN);
/// - host interface `eth0` with 52:54:00:00:00:01; MAC pool 02:5a:00:00:00:00-02:5a:00:00:00:ff.
final class AttachmentFixture {
    let links: FakeVFLinkControl
    let discovery: FakeHostDiscovery
    let devices: FakeHostDevices
    let liveness: FakeProcessLiveness
    let store: InMemoryStateStore
    let libvirt: FakeGuestDomains
    var config: HostConfig

    static let pool = MACPool(first: MACAddress("02:5a:00:00:00:00")!, last: MACAddress("02:5a:00:00:00:ff")!)

    init(store: InMemoryStateStore = InMemoryStateStore()) {
        let (nsim, nsimStatus) = FakeHostBuilder.netdevsimPF("eni10np1", device: "netdevsim10", vfs: 4)
        let (pci, pciStatus) = FakeHostBuilder.pciPF("enp59s0f0", address: "0000:3b:00.0", vfs: 4,
                                                     firstVF: "0000:3b:02.0",
                                                     permanentMAC: MACAddress("3c:fd:fe:00:00:01"))
        links = FakeVFLinkControl(pfs: [nsimStatus, pciStatus])
        discovery = FakeHostDiscovery(HostInventory(pfs: [pci, nsim]))
        devices = FakeHostDevices(interfaceMACs: ["eth0": MACAddress("52:54:00:00:00:01")!])
        liveness = FakeProcessLiveness(pid: 100)
        self.store = store
        libvirt = FakeGuestDomains(guests: [
            GuestDefinition(name: "web1", uuid: "6f1c1a2e-0000-4000-8000-000000000001", isActive: false, hostdevInterfaces: []),
            GuestDefinition(name: "db1", uuid: "6f1c1a2e-0000-4000-8000-000000000002", isActive: true, hostdevInterfaces: [],
                            liveHostdevInterfaces: []),
        ])
        config = HostConfig(networks: [
            NetworkDefinition(name: "prod", pfs: [.netdev("eni10np1")], excludedVFs: ["eni10np1": [0]],
                              vlan: PortVLAN(id: 100)),
            NetworkDefinition(name: "pci", pfs: [.pciAddress(PCIAddress("0000:3b:00.0")!)]),
        ], macPool: Self.pool)
    }

    /// The environment; `libvirt: true` gives it the fake libvirt.
    func environment(libvirt useLibvirt: Bool = false) -> AttachmentEnvironment {
        AttachmentEnvironment(config: config, store: store, links: links, discovery: discovery, devices: devices,
                              liveness: liveness, guests: useLibvirt ? libvirt : nil)
    }

    func attach(_ guest: String, network: String = "prod", libvirt useLibvirt: Bool = false,
                _ configure: (inout AttachRequest) -> Void = { _ in }) throws(SRIOVError) -> AttachmentResult {
        var request = AttachRequest(guest: guest, network: network)
        configure(&request)
        return try AttachmentService(environment: environment(libvirt: useLibvirt)).attach(request).result
    }

    func detach(_ guest: String, network: String? = "prod", libvirt useLibvirt: Bool = false,
                _ configure: (inout DetachRequest) -> Void = { _ in }) throws(SRIOVError) -> DetachResult {
        var request = DetachRequest(guest: guest, network: network)
        configure(&request)
        return try AttachmentService(environment: environment(libvirt: useLibvirt)).detach(request)
    }

    /// Leases and assignments only (what "the database is as before" compares).
    func tables() throws -> (leases: [LeaseRecord], assignments: [AssignmentRecord], quarantine: [QuarantinedMAC]) {
        let s = try store.read()
        return (s.leases, s.assignments, s.quarantine)
    }

    func vf(_ index: Int, on netdev: String = "eni10np1") -> VFState { links.vf(netdev, index)! }
}

/// Test shorthand for a MAC literal.
func mac(_ text: String) -> MACAddress { MACAddress(text)! }
