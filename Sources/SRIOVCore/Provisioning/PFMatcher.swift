/// Finds the PF a config entry names: by netdev name, PCI address or permanent MAC.
public enum PFMatcher {
    /// The position in `pfs` of the PF `selector` names, `nil` when none matches.
    ///
    /// A permanent MAC matches netlink's `IFLA_PERM_ADDRESS`, or the sysfs `address` of a
    /// netdev whose `addr_assign_type` says it is burned in (``ObservedPF/permanentMAC``).
    /// netdevsim reports no permanent address: match it by netdev name instead.
    public static func index(of selector: PFSelector, in pfs: [ObservedPF]) -> Int? {
        pfs.firstIndex { matches(selector, $0) }
    }

    /// True when `selector` names `observed`.
    public static func matches(_ selector: PFSelector, _ observed: ObservedPF) -> Bool {
        switch selector {
        case .netdev(let name):
            observed.pf.netdevs.contains(name) || observed.linkStatus?.name == name
        case .pciAddress(let address):
            observed.pf.pciAddress == address
        case .permanentMAC(let mac):
            observed.permanentMAC == mac
        }
    }

    /// The error for a selector that matches nothing, listing the PFs there are.
    public static func notFound(_ selector: PFSelector, source: String?, in pfs: [ObservedPF]) -> SRIOVError {
        let what: String
        switch selector {
        case .netdev(let name): what = "no SR-IOV PF has the netdev '\(name)'"
        case .pciAddress(let address): what = "no SR-IOV PF at PCI address \(address)"
        case .permanentMAC(let mac): what = "no SR-IOV PF has the permanent MAC \(mac)"
        }
        let known = pfs.map(\.label).joined(separator: ", ")
        return SRIOVError(.notFound, "\(source.map { "\($0): " } ?? "")PF \(selector): \(what)"
                          + (known.isEmpty ? " (this host has no SR-IOV PF)" : " (PFs here: \(known))"))
    }
}
