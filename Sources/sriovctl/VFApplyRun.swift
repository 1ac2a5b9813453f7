import SRIOVCore

extension HostServices {
    /// Programs the VFs `text` (JSON Lines, `source` naming it in errors) lists on `pf`, every
    /// line checked first: `vf apply` and the agent's `POST /v1/pfs/{pf}/vfs`.
    func applyVFs(pf: String, text: String, source: String) throws(SRIOVError) -> VFApplyReport {
        let (netdev, found) = try PFArgument.resolve(pf, services: self)
        let changes = try VFSpecLines.parse(text, source: source, pf: netdev)
        // Every index checked before anything is sent, against sriov_numvfs (the same count
        // the kernel reports as IFLA_NUM_VF), or a netlink read when sysfs has none.
        let numVFs: Int
        if let counted = found.numVFs { numVFs = counted } else { numVFs = try linkControl.readPF(netdev).numVFs }
        for (line, change) in changes where !(0..<numVFs).contains(change.index) {
            throw SRIOVError(.notFound, "\(line): \(netdev) VF \(change.index): no such VF (PF has \(numVFs) VFs)")
        }
        return linkControl.apply(changes.map(\.1), on: netdev)
    }
}
