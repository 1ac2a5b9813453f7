/// Reads and programs VFs through the kernel (rtnetlink).
public protocol VFLinkControlling: Sendable {
    /// Reads a PF's link and every VF in one request.
    ///
    /// Throws when the PF is gone, or when the kernel could not report every VF in one
    /// message (the reply holds fewer `IFLA_VF_INFO` entries than `IFLA_NUM_VF`).
    func readPF(_ netdev: String) throws(SRIOVError) -> PFLinkStatus

    /// Applies settings to several VFs of one PF: one request for the whole PF when
    /// possible, per-VF requests to find and name a failing VF otherwise.
    ///
    /// Values must already be validated. Rates are read-modify-write: setting only the
    /// max keeps the current min. The report says which VFs were applied and which
    /// failed; nothing is thrown for per-VF failures.
    func apply(_ changes: [VFChange], on netdev: String) -> VFApplyReport
}
