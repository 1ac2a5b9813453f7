/// `vf apply` and the agent's `POST /v1/pfs/{pf}/vfs`: programs the VFs a JSON Lines text lists
/// on one PF, every line checked (values, VF index, duplicates) before anything is sent.
public struct VFApplyService {
    /// sysfs discovery (the PF's name and VF count).
    public let discovery: any HostDiscovering
    /// Where VFs are read and programmed.
    public let links: any VFLinkControlling

    /// A service over these ports.
    public init(discovery: any HostDiscovering, links: any VFLinkControlling) {
        self.discovery = discovery
        self.links = links
    }

    /// Programs the VFs `text` (JSON Lines, `source` naming it in errors: `spec.jsonl`,
    /// `<stdin>`) lists on `pf`. Throws, having sent nothing, on the first bad line or an
    /// index the PF does not have; a kernel refusal is in the report's outcomes.
    public func apply(pf: String, text: String, source: String) throws(SRIOVError) -> VFApplyReport {
        let (netdev, found) = try PFArgument.resolve(pf, discovery: discovery)
        let lines = try VFSpecLines.parse(text, source: source, pf: netdev)
        // Every index checked before anything is sent, against sriov_numvfs (the same count
        // the kernel reports as IFLA_NUM_VF), or a netlink read when sysfs has none.
        let numVFs: Int
        if let counted = found.numVFs { numVFs = counted } else { numVFs = try links.readPF(netdev).numVFs }
        for line in lines where !(0..<numVFs).contains(line.change.index) {
            throw SRIOVError(.notFound, "\(VFSpecLines.place(source, line.number)): \(netdev) VF \(line.change.index): no such VF (PF has \(numVFs) VFs)")
        }
        return links.apply(lines.map(\.change), on: netdev)
    }
}
