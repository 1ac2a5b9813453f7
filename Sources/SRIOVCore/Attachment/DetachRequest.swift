/// What `sriovctl detach` was asked to do.
public struct DetachRequest: Hashable, Sendable {
    /// Guest name.
    public var guest: String
    /// Network name (`--network`); `nil` when the lease is named by `mac`.
    public var network: String?
    /// Interface slot on the network.
    public var slot: Int
    /// The lease's MAC (`--mac`), instead of the network.
    public var mac: MACAddress?
    /// Drop the lease too; its MAC goes to quarantine (`--forget`).
    public var forget: Bool
    /// Reset the VF (``VFSettings/reset``) instead of restoring its saved state (`--reset`).
    public var reset: Bool
    /// Detach through libvirt first (`--apply`), `nil` to leave libvirt alone.
    public var libvirt: LibvirtApply?

    /// Creates a request.
    public init(guest: String, network: String? = nil, slot: Int = 0, mac: MACAddress? = nil, forget: Bool = false,
                reset: Bool = false, libvirt: LibvirtApply? = nil) {
        self.guest = guest
        self.network = network
        self.slot = slot
        self.mac = mac
        self.forget = forget
        self.reset = reset
        self.libvirt = libvirt
    }

    /// Checks the guest name and that the lease is named by `--network` or `--mac`.
    public func validate() throws(SRIOVError) {
        try GuestNameRules.validateGuestName(guest)
        if network == nil && mac == nil {
            throw SRIOVError(.invalidValue, "detach \(guest): name the lease with --network NET or --mac MAC")
        }
        if slot < 0 { throw SRIOVError(.invalidValue, "slot \(slot) is negative") }
        try NumberField.slot.check(slot)
        if let network { try GuestNameRules.validateNetworkName(network) }
    }
}

/// What `detach` did.
public struct DetachResult: Hashable, Sendable, Codable {
    /// JSON schema version.
    public var schemaVersion: Int = 1
    /// Guest name.
    public var guest: String
    /// Network name.
    public var network: String
    /// Slot.
    public var slot: Int
    /// The lease's MAC.
    public var mac: MACAddress
    /// `detached`, `not-attached` (the lease had no VF) or `forgotten` (no VF; lease dropped).
    public var outcome: String
    /// The VF freed, when there was one.
    public var vf: VFKey?
    /// Its PF's netdev when known.
    public var pfNetdev: String?
    /// Fields written back to the VF.
    public var restored: [String]
    /// True when the lease was kept (the guest gets the same MAC next time).
    public var leaseKept: Bool
    /// What was done in libvirt, `nil` without `--apply`.
    public var libvirt: String?
    /// Notes: repairs, missing VFs.
    public var notes: [String]

    /// Creates a result.
    public init(guest: String, network: String, slot: Int, mac: MACAddress, outcome: String, vf: VFKey? = nil,
                pfNetdev: String? = nil, restored: [String] = [], leaseKept: Bool, libvirt: String? = nil,
                notes: [String] = []) {
        self.guest = guest
        self.network = network
        self.slot = slot
        self.mac = mac
        self.outcome = outcome
        self.vf = vf
        self.pfNetdev = pfNetdev
        self.restored = restored
        self.leaseKept = leaseKept
        self.libvirt = libvirt
        self.notes = notes
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, guest, network, slot, mac, outcome, pf, pfNetdev, vfIndex, restored, leaseKept, libvirt, notes
    }

    /// The `detach --json` object (docs/attach.md): every key present, `null` when absent.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schemaVersion, forKey: .schemaVersion)
        try c.encode(guest, forKey: .guest)
        try c.encode(network, forKey: .network)
        try c.encode(slot, forKey: .slot)
        try c.encode(mac, forKey: .mac)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(vf?.pf.device, forKey: .pf)
        try c.encode(pfNetdev, forKey: .pfNetdev)
        try c.encode(vf?.index, forKey: .vfIndex)
        try c.encode(restored, forKey: .restored)
        try c.encode(leaseKept, forKey: .leaseKept)
        try c.encode(libvirt, forKey: .libvirt)
        try c.encode(notes, forKey: .notes)
    }

    /// Reads the object ``encode(to:)`` writes (the agent's answer to `detach`). The VF's PF
    /// comes back by its device only: the JSON does not carry its permanent MAC.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try c.decode(Int.self, forKey: .schemaVersion)
        guest = try c.decode(String.self, forKey: .guest)
        network = try c.decode(String.self, forKey: .network)
        slot = try c.decode(Int.self, forKey: .slot)
        mac = try c.decode(MACAddress.self, forKey: .mac)
        outcome = try c.decode(String.self, forKey: .outcome)
        if let device = try c.decodeIfPresent(String.self, forKey: .pf),
           let index = try c.decodeIfPresent(Int.self, forKey: .vfIndex) {
            vf = VFKey(pf: PFStableID(device: device), index: index)
        } else {
            vf = nil
        }
        pfNetdev = try c.decodeIfPresent(String.self, forKey: .pfNetdev)
        restored = try c.decode([String].self, forKey: .restored)
        leaseKept = try c.decode(Bool.self, forKey: .leaseKept)
        libvirt = try c.decodeIfPresent(String.self, forKey: .libvirt)
        notes = try c.decode([String].self, forKey: .notes)
    }
}
