/// What `attach` did, as printed by `--format json` (schema in docs/attach.md).
public struct AttachmentResult: Hashable, Sendable, Codable {
    /// JSON schema version.
    public var schemaVersion: Int = 1
    /// Guest name.
    public var guest: String
    /// Guest UUID when known.
    public var uuid: String?
    /// Network name.
    public var network: String
    /// Interface slot.
    public var slot: Int
    /// The guest's MAC (its lease).
    public var mac: MACAddress
    /// True when this run created the lease.
    public var leaseCreated: Bool
    /// The PF.
    public var pf: PFRecord
    /// The VF index.
    public var vfIndex: Int
    /// The VF's PCI address (`nil` for non-PCI VFs).
    public var vfPCIAddress: PCIAddress?
    /// The settings the VF has now.
    public var settings: VFSettings
    /// The interface for libvirt/Xen.
    public var interface: GuestInterface
    /// `attached` (new), `unchanged`, `converged` (reprogrammed to match), `reconfigured`
    /// (new options), or `moved` (the old VF disappeared, a new one was assigned).
    public var outcome: Outcome
    /// Fields sent to the kernel in this run.
    public var programmed: [String]
    /// What was done in libvirt, `nil` without `--apply`.
    public var libvirt: LibvirtOutcome?
    /// The failover pair (`attach --failover`): the virtio path and alias; `nil` without.
    public var failover: FailoverPair? = nil
    /// Notes: repairs of interrupted runs, driver notes, fallbacks.
    public var notes: [String]

    /// How the attach ended.
    public enum Outcome: String, Hashable, Sendable, Codable {
        /// A VF was newly assigned and programmed.
        case attached
        /// Already attached and programmed as asked; nothing sent.
        case unchanged
        /// Already attached; the VF had drifted and was reprogrammed.
        case converged
        /// Already attached; new options were recorded and programmed.
        case reconfigured
        /// The lease's previous VF no longer exists; a new VF was assigned.
        case moved
    }

    /// The libvirt side of `--apply`.
    public struct LibvirtOutcome: Hashable, Sendable, Codable {
        /// `attached`, or `already-present` when the guest already had the interface.
        public var action: String
        /// `live`, `config`.
        public var scope: [String]

        /// Creates an outcome.
        public init(action: String, scope: DomainChangeScope) {
            self.action = action
            self.scope = (scope.contains(.live) ? ["live"] : []) + (scope.contains(.config) ? ["config"] : [])
        }
    }

    /// Creates a result.
    public init(guest: String, uuid: String?, network: String, slot: Int, mac: MACAddress, leaseCreated: Bool,
                pf: PFRecord, vfIndex: Int, vfPCIAddress: PCIAddress?, settings: VFSettings,
                interface: GuestInterface, outcome: Outcome, programmed: [String], libvirt: LibvirtOutcome? = nil,
                notes: [String] = []) {
        self.guest = guest
        self.uuid = uuid
        self.network = network
        self.slot = slot
        self.mac = mac
        self.leaseCreated = leaseCreated
        self.pf = pf
        self.vfIndex = vfIndex
        self.vfPCIAddress = vfPCIAddress
        self.settings = settings
        self.interface = interface
        self.outcome = outcome
        self.programmed = programmed
        self.libvirt = libvirt
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, guest, uuid, network, slot, mac, leaseCreated, outcome, pf, vfIndex
        case vfPCIAddress = "vfPciAddress", libvirtNodeDevice, vlan, virtualPortProfile, settings, programmed, libvirt, notes
        case failover
    }

    enum FailoverKeys: String, CodingKey {
        case alias, network, bridge
    }

    enum PFKeys: String, CodingKey {
        case netdev, device, permanentMAC = "permanentMac", pciAddress, kind
    }

    /// The `attach --format json` object (docs/attach.md): every key present, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(guest, forKey: .guest)
        try c.encode(uuid, forKey: .uuid)
        try c.encode(network, forKey: .network)
        try c.encode(slot, forKey: .slot)
        try c.encode(mac, forKey: .mac)
        try c.encode(leaseCreated, forKey: .leaseCreated)
        try c.encode(outcome, forKey: .outcome)
        var p = c.nestedContainer(keyedBy: PFKeys.self, forKey: .pf)
        try p.encode(pf.netdev, forKey: .netdev)
        try p.encode(pf.id.device, forKey: .device)
        try p.encode(pf.id.permanentMAC, forKey: .permanentMAC)
        try p.encode(pf.pciAddress, forKey: .pciAddress)
        try p.encode(pf.kind, forKey: .kind)
        try c.encode(vfIndex, forKey: .vfIndex)
        try c.encode(vfPCIAddress, forKey: .vfPCIAddress)
        try c.encode(vfPCIAddress?.libvirtNodeDeviceName, forKey: .libvirtNodeDevice)
        try c.encode(interface.vlan, forKey: .vlan)
        try c.encode(interface.virtualPort?.profileID, forKey: .virtualPortProfile)
        try c.encode(VFSettingsJSON(settings), forKey: .settings)
        try c.encode(programmed, forKey: .programmed)
        try c.encode(libvirt, forKey: .libvirt)
        if let failover {
            var f = c.nestedContainer(keyedBy: FailoverKeys.self, forKey: .failover)
            try f.encode(failover.alias, forKey: .alias)
            switch failover.path {
            case .network(let name): try f.encode(name, forKey: .network)
            case .bridge(let name): try f.encode(name, forKey: .bridge)
            }
        } else {
            try c.encodeNil(forKey: .failover)
        }
        try c.encode(notes, forKey: .notes)
    }

    /// Reads the object ``encode(to:)`` writes (the agent's answer to `attach`, docs/agent-api.md),
    /// so a command that went through the agent prints what it would have printed itself.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        guest = try c.decode(String.self, forKey: .guest)
        uuid = try c.decodeIfPresent(String.self, forKey: .uuid)
        network = try c.decode(String.self, forKey: .network)
        slot = try c.decode(Int.self, forKey: .slot)
        mac = try c.decode(MACAddress.self, forKey: .mac)
        leaseCreated = try c.decode(Bool.self, forKey: .leaseCreated)
        outcome = try c.decode(Outcome.self, forKey: .outcome)
        let p = try c.nestedContainer(keyedBy: PFKeys.self, forKey: .pf)
        pf = PFRecord(id: PFStableID(device: try p.decode(String.self, forKey: .device),
                                     permanentMAC: try p.decodeIfPresent(MACAddress.self, forKey: .permanentMAC)),
                      kind: try p.decode(PFKind.self, forKey: .kind),
                      pciAddress: try p.decodeIfPresent(PCIAddress.self, forKey: .pciAddress),
                      netdev: try p.decodeIfPresent(String.self, forKey: .netdev))
        vfIndex = try c.decode(Int.self, forKey: .vfIndex)
        vfPCIAddress = try c.decodeIfPresent(PCIAddress.self, forKey: .vfPCIAddress)
        settings = try c.decode(VFSettingsJSON.self, forKey: .settings).settings
        interface = GuestInterface(mac: mac, vfPCIAddress: vfPCIAddress,
                                   vlan: try c.decodeIfPresent(PortVLAN.self, forKey: .vlan),
                                   virtualPort: try c.decodeIfPresent(String.self, forKey: .virtualPortProfile)
                                       .map(VirtualPort.init(profileID:)))
        programmed = try c.decode([String].self, forKey: .programmed)
        libvirt = try c.decodeIfPresent(LibvirtOutcome.self, forKey: .libvirt)
        notes = try c.decode([String].self, forKey: .notes)
        if c.contains(.failover), try !c.decodeNil(forKey: .failover) {
            let f = try c.nestedContainer(keyedBy: FailoverKeys.self, forKey: .failover)
            let path: FailoverPath = if let bridge = try f.decodeIfPresent(String.self, forKey: .bridge) {
                .bridge(bridge)
            } else {
                .network(try f.decode(String.self, forKey: .network))
            }
            failover = FailoverPair(path: path, alias: try f.decode(String.self, forKey: .alias))
        }
    }
}
