/// A VF of a network's PF with everything known about it from the host (not from the
/// state database): its live settings and, when the host keeps it from being passed
/// through, why.
public struct VFCandidate: Hashable, Sendable {
    /// Stable name of the VF.
    public var key: VFKey
    /// Its PF.
    public var networkPF: NetworkPF
    /// The VF as sysfs shows it.
    public var vf: VirtualFunction
    /// Its live settings over netlink, `nil` when the PF did not report it.
    public var live: VFState?
    /// Why the host keeps this VF from a guest (`IOMMU group 7 holds 0000:00:1f.3 bound to
    /// host driver snd_hda_intel`), `nil` when nothing does.
    public var hostBlock: String?

    /// Creates a candidate.
    public init(key: VFKey, networkPF: NetworkPF, vf: VirtualFunction, live: VFState?, hostBlock: String? = nil) {
        self.key = key
        self.networkPF = networkPF
        self.vf = vf
        self.live = live
        self.hostBlock = hostBlock
    }

    /// `eni10np1 VF 3`.
    public var displayName: String { "\(networkPF.netdev) VF \(key.index)" }

    /// Every VF of `pfs` in the network's pool (its range on the PF, ``NetworkPF/vfRange``),
    /// in network order then index order, with host blocks worked out.
    ///
    /// A VF is blocked when another member of its IOMMU group is bound to a host driver
    /// other than vfio-pci/pci-stub (bridges excepted), or when a libvirt guest other than
    /// `guest` already uses its PCI address (`guestsByPCI`). VFs without an IOMMU group
    /// (netdevsim, or no IOMMU) are not blocked by group rules.
    public static func build(pfs: [NetworkPF], bindings: (String) -> IOMMUGroupPeer,
                             guestsByPCI: [PCIAddress: String] = [:], guest: String? = nil) -> [VFCandidate] {
        var result: [VFCandidate] = []
        for networkPF in pfs {
            let id = networkPF.record.id
            for vf in networkPF.pf.vfs.sorted(by: { $0.index < $1.index }) where networkPF.inPool(vf.index) {
                var block: String?
                let own = vf.pciAddress?.description
                for member in vf.iommuGroupDevices.sorted() where member != own {
                    let binding = bindings(member)
                    if binding.blocksPassthrough {
                        block = "IOMMU group" + (vf.iommuGroup.map { " \($0)" } ?? "") + " holds \(member) "
                            + "bound to " + (binding.driver.map { "host driver \($0)" } ?? "a host driver")
                        break
                    }
                }
                if block == nil, let pci = vf.pciAddress, let user = guestsByPCI[pci], user != guest {
                    block = "\(pci) is used by libvirt guest '\(user)'"
                }
                result.append(VFCandidate(key: VFKey(pf: id, index: vf.index), networkPF: networkPF, vf: vf,
                                          live: networkPF.status.vf(vf.index), hostBlock: block))
            }
        }
        return result
    }
}
