public import Logging  // init(logger:) takes a Logger
public import SRIOVCore

/// Reads and programs VFs over rtnetlink through libnl's core message API (not
/// libnl-route's SR-IOV helpers; see docs/netlink.md for why).
///
/// One `NETLINK_ROUTE` socket per controller: opened on the first read or apply and kept
/// for every later one (``SharedRouteSocket``), so a command that builds one controller
/// (``HostServices``) uses one socket however many PFs it reads and programs. Reading is one
/// `RTM_GETLINK` per PF with `RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS`; programming is one
/// `RTM_SETLINK` for the whole PF when the kernel accepts it, with per-VF and per-attribute
/// requests only to name what failed.
public struct RTNetlinkVFControl: VFLinkControlling {
    let logger: Logger
    let sysfs: SysfsTree
    /// Largest `IFLA_VFINFO_LIST` content per `RTM_SETLINK`, in bytes.
    let batchBudget: Int
    /// The socket, shared by every copy of this controller.
    let socket: SharedRouteSocket

    /// Creates a controller; `sysfs` is where driver names are looked up for messages.
    /// No socket is opened until the first read or apply.
    public init(logger: Logger, sysfs: SysfsTree = SysfsTree()) {
        self.init(logger: logger, sysfs: sysfs) { () throws(SRIOVError) -> any NetlinkTransport in try RouteSocket() }
    }

    /// Creates a controller over another transport (tests); `openTransport` is called once,
    /// on the first read or apply.
    init(logger: Logger, sysfs: SysfsTree, batchBudget: Int = 30_000,
         openTransport: @escaping @Sendable () throws(SRIOVError) -> any NetlinkTransport) {
        self.logger = logger
        self.sysfs = sysfs
        self.batchBudget = batchBudget
        self.socket = SharedRouteSocket(open: openTransport)
    }

    /// Reads `netdev` and all its VFs in one request.
    ///
    /// Throws `eth3: no such network interface` when the link is gone, and an explicit
    /// error when the reply holds fewer VFs than `IFLA_NUM_VF` says.
    public func readPF(_ netdev: String) throws(SRIOVError) -> PFLinkStatus {
        try socket.using { (transport) throws(SRIOVError) in try read(netdev, on: transport).status }
    }

    /// Applies `changes` to `netdev`'s VFs; see ``VFLinkControlling/apply(_:on:)``.
    ///
    /// A VF index at or above the PF's VF count is refused before anything is sent
    /// (`eth3 VF 9: no such VF (PF has 8 VFs)`), as are invalid values.
    public func apply(_ changes: [VFChange], on netdev: String) -> VFApplyReport {
        do {
            return try socket.using { (transport) throws(SRIOVError) in
                let reply = try read(netdev, on: transport)
                var applier = VFBatchApplier(pf: reply.status, driver: driverPhrase(netdev, kind: reply.kind),
                                             transport: transport, budget: batchBudget, logger: logger)
                let outcomes = applier.apply(changes)
                logger.debug("\(netdev): \(changes.count) VF changes in \(applier.requests) RTM_SETLINK requests")
                return VFApplyReport(pf: netdev, outcomes: outcomes, requests: applier.requests)
            }
        } catch {
            return VFApplyReport(pf: netdev, outcomes: changes.map {
                .init(index: $0.index, applied: [], error: SRIOVErrorRecord(error))
            }, requests: 0)
        }
    }

    /// One `RTM_GETLINK` on `transport`.
    func read(_ netdev: String, on transport: any NetlinkTransport) throws(SRIOVError) -> LinkReply {
        let request = try LinkRequests.getLink(named: netdev)
        let answer: NetlinkMessage?
        do {
            answer = try transport.exchange(request)
        } catch {
            throw VFErrorMessages.error(error, .init(pf: netdev, vf: nil, driver: driverPhrase(netdev, kind: nil),
                                                     numVFs: nil, attribute: nil, action: "reading the link"))
        }
        guard let answer else { throw SRIOVError(.system, "\(netdev): the kernel answered RTM_GETLINK with no link") }
        return try LinkReplyParser.parse(answer, requested: netdev)
    }

    /// `driver netdevsim` from sysfs (`class/net/X/device/driver`), else the link kind
    /// (`driver veth`), else `the driver of X`.
    func driverPhrase(_ netdev: String, kind: String?) -> String {
        if let name = sysfs.linkTargetName("class/net/\(netdev)/device/driver") { return "driver \(name)" }
        if let kind { return "driver \(kind)" }
        return "the driver of \(netdev)"
    }
}
