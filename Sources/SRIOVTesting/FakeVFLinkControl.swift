import SRIOVCore
import Synchronization

/// An in-memory kernel for VFs: ``VFLinkControlling`` over a dictionary of PF statuses.
///
/// `apply` changes the stored VF states the way the kernel would, attribute by attribute
/// in the kernel's order (MAC, VLAN, rate, spoofchk, link state, trust), so an injected
/// failure leaves the earlier attributes applied, as on hardware. Every request is
/// recorded in ``requests`` for tests to inspect.
public final class FakeVFLinkControl: VFLinkControlling, Sendable {
    /// One injected failure.
    public struct Failure: Sendable {
        /// PF netdev.
        public var netdev: String
        /// VF index, `nil` for any.
        public var vf: Int?
        /// The field that fails (`mac`, `vlan`, `rate`, `spoofchk`, `link-state`, `trust`), `nil` for the first.
        public var field: String?
        /// The error reported.
        public var error: SRIOVError
        /// How many times it fires (`nil`: always).
        public var times: Int?
        /// Fire only when the MAC being set is this one (e.g. `.zero`: a driver refusing the zero MAC).
        public var onlyIfMAC: MACAddress?

        /// Creates a failure.
        public init(netdev: String, vf: Int? = nil, field: String? = nil, error: SRIOVError, times: Int? = nil,
                    onlyIfMAC: MACAddress? = nil) {
            self.netdev = netdev
            self.vf = vf
            self.field = field
            self.error = error
            self.times = times
            self.onlyIfMAC = onlyIfMAC
        }
    }

    private struct State {
        var pfs: [String: PFLinkStatus] = [:]
        var failures: [Failure] = []
        var requests: [(netdev: String, changes: [VFChange])] = []
        var unreadable: [String: SRIOVError] = [:]
    }

    private let state: Mutex<State>

    /// Creates a kernel holding `pfs`.
    public init(pfs: [PFLinkStatus] = []) {
        var initial = State()
        for pf in pfs { initial.pfs[pf.name] = pf }
        state = Mutex(initial)
    }

    /// Adds or replaces a PF.
    public func setPF(_ pf: PFLinkStatus) { state.withLock { $0.pfs[pf.name] = pf } }

    /// Removes a PF (it disappears from netlink).
    public func removePF(_ netdev: String) { _ = state.withLock { $0.pfs.removeValue(forKey: netdev) } }

    /// Makes `readPF(netdev)` fail with `error` (`nil` to undo).
    public func setUnreadable(_ netdev: String, _ error: SRIOVError?) {
        state.withLock { $0.unreadable[netdev] = error }
    }

    /// Injects a failure.
    public func inject(_ failure: Failure) { state.withLock { $0.failures.append(failure) } }

    /// Removes every injected failure.
    public func clearFailures() { state.withLock { $0.failures.removeAll() } }

    /// The current state of VF `index` of `netdev`.
    public func vf(_ netdev: String, _ index: Int) -> VFState? { state.withLock { $0.pfs[netdev]?.vf(index) } }

    /// Every `apply` call so far.
    public var requests: [(netdev: String, changes: [VFChange])] { state.withLock { $0.requests } }

    /// Forgets recorded requests.
    public func clearRequests() { state.withLock { $0.requests.removeAll() } }

    /// Simulates `sriov_numvfs` going to `count`: VFs are recreated blank (zero MAC, no VLAN,
    /// spoofchk on, trust off, link auto, no rates).
    public func recreateVFs(_ netdev: String, count: Int) {
        state.withLock { s in
            guard var pf = s.pfs[netdev] else { return }
            pf.numVFs = count
            pf.vfs = (0..<count).map { FakeVFLinkControl.blankVF($0) }
            s.pfs[netdev] = pf
        }
    }

    /// A VF as a driver creates it.
    public static func blankVF(_ index: Int) -> VFState {
        VFState(index: index, mac: .zero, vlans: [.none], spoofCheck: true, trust: false, linkState: .auto,
                minTxRate: 0, maxTxRate: 0)
    }

    public func readPF(_ netdev: String) throws(SRIOVError) -> PFLinkStatus {
        let result: Result<PFLinkStatus, SRIOVError> = state.withLock { s in
            if let error = s.unreadable[netdev] { return .failure(error) }
            guard let pf = s.pfs[netdev] else {
                return .failure(SRIOVError(.notFound, "\(netdev): no such network interface"))
            }
            return .success(pf)
        }
        return try result.get()
    }

    public func apply(_ changes: [VFChange], on netdev: String) -> VFApplyReport {
        state.withLock { s in
            s.requests.append((netdev, changes))
            var outcomes: [VFApplyReport.Outcome] = []
            for change in changes {
                outcomes.append(Self.applyOne(change, netdev: netdev, state: &s))
            }
            return VFApplyReport(pf: netdev, outcomes: outcomes, requests: 1)
        }
    }

    private static func applyOne(_ change: VFChange, netdev: String, state s: inout State) -> VFApplyReport.Outcome {
        guard var pf = s.pfs[netdev] else {
            return .init(index: change.index, applied: [],
                         error: SRIOVErrorRecord(SRIOVError(.notFound, "\(netdev): no such network interface")))
        }
        guard let position = pf.vfs.firstIndex(where: { $0.index == change.index }) else {
            return .init(index: change.index, applied: [], error: SRIOVErrorRecord(SRIOVError(
                .notFound, "\(netdev) VF \(change.index): no such VF (PF has \(pf.numVFs) VFs)", errno: 22)))
        }
        var vf = pf.vfs[position]
        var applied: [String] = []
        let settings = change.settings
        let steps: [(String, Bool)] = [
            ("mac", settings.mac != nil), ("vlan", settings.vlan != nil),
            ("rate", settings.minTxRate != nil || settings.maxTxRate != nil),
            ("spoofchk", settings.spoofCheck != nil), ("link-state", settings.linkState != nil),
            ("trust", settings.trust != nil),
        ]
        for (field, present) in steps where present {
            if let i = s.failures.firstIndex(where: { f in
                f.netdev == netdev && (f.vf == nil || f.vf == change.index) && (f.field == nil || f.field == field)
                    && (f.onlyIfMAC == nil || f.onlyIfMAC == settings.mac)
            }) {
                let failure = s.failures[i]
                if let times = failure.times {
                    if times <= 1 { s.failures.remove(at: i) } else { s.failures[i].times = times - 1 }
                }
                pf.vfs[position] = vf
                s.pfs[netdev] = pf
                return .init(index: change.index, applied: applied, error: SRIOVErrorRecord(failure.error))
            }
            switch field {
            case "mac": vf.mac = settings.mac!
            case "vlan": vf.vlans = [settings.vlan!]
            case "rate":
                if let min = settings.minTxRate { vf.minTxRate = min }
                if let max = settings.maxTxRate { vf.maxTxRate = max }
            case "spoofchk": vf.spoofCheck = settings.spoofCheck
            case "link-state": vf.linkState = settings.linkState
            default: vf.trust = settings.trust
            }
            applied.append(field)
        }
        pf.vfs[position] = vf
        s.pfs[netdev] = pf
        return .init(index: change.index, applied: applied)
    }
}
