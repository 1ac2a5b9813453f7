/// What `sriovctl attach` was asked to do.
public struct AttachRequest: Hashable, Sendable {
    /// Guest (libvirt domain) name.
    public var guest: String
    /// Guest UUID, when given (`--uuid`) or learned from libvirt.
    public var uuid: String?
    /// Network name.
    public var network: String
    /// Interface slot on the network (0: the guest's first interface there).
    public var slot: Int
    /// The VF settings asked for (`--mac`, `--vlan`/`--qos`/`--proto`, `--trust`,
    /// `--spoofchk`, `--link-state`, `--min-rate`, `--max-rate`); a field left `nil` takes the
    /// network's default (MAC: the lease, else the next free MAC of the pool; trust off,
    /// spoof checking on, VLAN the network's, else none).
    public var settings: VFSettings
    /// 802.1Qbh port profile (`--virtualport 802.1Qbh --profile NAME`).
    public var virtualPort: VirtualPort?
    /// How the result must be renderable before anything is recorded (`--format`).
    public var output: AttachOutputFormat
    /// Attach through libvirt (`--apply`), `nil` to only program the VF.
    public var libvirt: LibvirtApply?
    /// The guest's NUMA node (`--numa-node N`), instead of reading it from libvirt.
    public var numaNode: Int? = nil
    /// Give the guest a failover pair for live migration (`--failover`): a virtio interface on
    /// the network's `failover:` path and the VF, teamed, with the same MAC.
    public var failover: Bool = false
    /// Attach here even though the lease is attached on another host of the fleet (a guest
    /// moving): both VFs carry the MAC until the other host detaches (`attach --move`).
    public var move = false

    /// Creates a request.
    public init(guest: String, uuid: String? = nil, network: String, slot: Int = 0, settings: VFSettings = VFSettings(),
                virtualPort: VirtualPort? = nil, output: AttachOutputFormat = .json, libvirt: LibvirtApply? = nil) {
        self.guest = guest
        self.uuid = uuid
        self.network = network
        self.slot = slot
        self.settings = settings
        self.virtualPort = virtualPort
        self.output = output
        self.libvirt = libvirt
    }

    /// The explicit MAC (`--mac`), `nil` to reuse the lease or allocate from the pool.
    public var mac: MACAddress? {
        get { settings.mac }
        set { settings.mac = newValue }
    }

    /// The lease this request is about.
    public var leaseKey: LeaseKey { LeaseKey(guest: guest, network: network, slot: slot) }

    /// Checks everything that can be checked without the host or the database: names,
    /// UUID, slot, MAC, VLAN/QoS/protocol, rates, and `--vlan` with `--virtualport`.
    public func validate() throws(SRIOVError) {
        try GuestNameRules.validateGuestName(guest)
        try GuestNameRules.validateNetworkName(network)
        if let uuid { _ = try GuestNameRules.normalizedUUID(uuid) }
        if slot < 0 { throw SRIOVError(.invalidValue, "slot \(slot) is negative") }
        if let numaNode { try NumberField.numaNode.check(numaNode) }
        if failover && output == .xl {
            throw SRIOVError(.invalidValue, "--failover makes a libvirt pair; Xen's xl has no failover form (use --format libvirt or json)")
        }
        try NumberField.slot.check(slot)
        if let virtualPort {
            try GuestNameRules.validateProfileID(virtualPort.profileID)
            if settings.vlan != nil {
                throw SRIOVError(.invalidValue, "--vlan and --virtualport cannot be combined: libvirt refuses "
                                 + "<vlan> together with <virtualport> on a hostdev interface")
            }
        }
        if let mac = settings.mac {
            if mac.isBroadcast {
                throw SRIOVError(.invalidValue, "MAC \(mac) is the broadcast address; a guest needs a unicast MAC")
            }
            if mac.isMulticast {
                throw SRIOVError(.invalidValue, "MAC \(mac) is multicast (first octet is odd); a guest needs a unicast MAC")
            }
        }
        do {
            try settings.removing(.mac).validate(vfIndex: 0, pf: "")
        } catch {
            // The message starts with " VF 0: " (no VF chosen yet); name the guest instead.
            let text = error.message.drop { $0 != ":" }.dropFirst(2)
            throw SRIOVError("attach \(guest): \(text)", causedBy: error)
        }
    }
}

/// The form `attach` prints, which must be renderable for the chosen VF before anything
/// is recorded (a non-PCI VF has no libvirt or Xen form).
public enum AttachOutputFormat: String, Hashable, Sendable, Codable, CaseIterable {
    /// `<interface type='hostdev' managed='yes'>` XML.
    case libvirt
    /// Xen `xl` `pci = [ '…' ]` line.
    case xl
    /// JSON (always renderable).
    case json
}

/// How to attach through libvirt.
public struct LibvirtApply: Hashable, Sendable {
    /// `--live` and/or `--config`; `nil`: config when the guest is
    /// inactive, live and config when it is running.
    public var scope: DomainChangeScope?

    /// Creates an apply request.
    public init(scope: DomainChangeScope? = nil) { self.scope = scope }

    /// The scope to use for a guest that is (`isActive`) or is not running.
    public func effectiveScope(guestIsActive isActive: Bool) throws(SRIOVError) -> DomainChangeScope {
        if let scope {
            if scope.contains(.live) && !isActive {
                throw SRIOVError(.invalidValue, "--live needs a running guest; use --config for a stopped guest")
            }
            return scope
        }
        return isActive ? [.live, .config] : [.config]
    }
}
