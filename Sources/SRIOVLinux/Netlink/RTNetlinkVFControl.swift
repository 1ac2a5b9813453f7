import CNetlink
import Logging
import SRIOVCore

/// Reads and programs VFs over rtnetlink through libnl's core message API.
/// (Placeholder until the netlink work lands.)
public struct RTNetlinkVFControl: VFLinkControlling {
    let logger: Logger

    /// Creates a controller that opens a NETLINK_ROUTE socket per call.
    public init(logger: Logger) { self.logger = logger }

    public func readPF(_ netdev: String) throws(SRIOVError) -> PFLinkStatus {
        throw SRIOVError(.notSupported, "\(netdev): reading VFs over netlink is not implemented yet")
    }

    public func apply(_ changes: [VFChange], on netdev: String) -> VFApplyReport {
        VFApplyReport(pf: netdev, outcomes: changes.map {
            .init(index: $0.index, applied: [],
                  error: SRIOVErrorRecord(SRIOVError(.notSupported, "\(netdev) VF \($0.index): not implemented yet")))
        }, requests: 0)
    }
}
