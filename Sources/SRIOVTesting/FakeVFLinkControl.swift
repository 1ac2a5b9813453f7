import Glibc
public import SRIOVCore
import SRIOVLinux
import Synchronization

/// An in-memory kernel for VFs: ``VFLinkControlling`` over a dictionary of PF statuses.
///
/// It behaves as ``RTNetlinkVFControl`` on a real kernel does, and the contract suite
/// (`VFLinkContractTests` on the host, lab scenario `netlink-contract` on netdevsim)
/// holds both to the same cases:
/// - a VF index past the PF's VF count, an invalid value (``VFSettings/validate(vfIndex:pf:)``)
///   or an inverted rate pair is refused before anything changes, with the adapter's words;
/// - attributes apply one by one in the kernel's order (``VFKernelAttribute``), so an injected
///   failure leaves the earlier attributes applied, and `applied` names the same fields;
/// - a refusal with ENODEV, EPERM or EACCES ends the whole request with nothing applied;
/// - a zero MAC refused with EINVAL is retried with `02:00:00:00:00:00`, as libvirt does.
///
/// Every request is recorded in ``requests`` for tests to inspect.
public final class FakeVFLinkControl: VFLinkControlling, Sendable {
    /// One injected failure.
    public struct Failure: Sendable {
        /// PF netdev.
        public var netdev: String
        /// VF index, `nil` for any.
        public var vf: Int?
        /// The attribute that fails (``VFKernelAttribute/name``: `mac`, `vlan`, `rate`, `spoofchk`,
        /// `linkState`, `trust`), `nil` for the first one sent.
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

        /// A refusal by the kernel with `errno`, worded as ``RTNetlinkVFControl`` words it
        /// (e.g. EOPNOTSUPP: `eth3 VF 2: driver fake does not support setting trust`).
        public init(netdev: String, vf: Int? = nil, attribute: VFKernelAttribute? = nil, errno: Int32,
                    times: Int? = nil, onlyIfMAC: MACAddress? = nil) {
            self.init(netdev: netdev, vf: vf, field: attribute?.name,
                      error: RTNetlinkVFControl.refusal(errno: errno, pf: netdev, vf: vf, attribute: attribute,
                                                        driver: "driver fake", numVFs: nil),
                      times: times, onlyIfMAC: onlyIfMAC)
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
            let missing = SRIOVError(.notFound, "\(netdev): no such network interface", errno: ENODEV)
            guard s.unreadable[netdev] == nil, s.pfs[netdev] != nil else {
                let error = SRIOVErrorRecord(s.unreadable[netdev] ?? missing)
                return VFApplyReport(pf: netdev, outcomes: changes.map { .init(index: $0.index, applied: [], error: error) },
                                     requests: 0)
            }
            // A PF-wide refusal (gone, no permission) ends the whole request before anything applies.
            if let i = s.failures.firstIndex(where: { f in
                f.netdev == netdev && (f.vf == nil || changes.contains { $0.index == f.vf })
                    && f.error.errno.map(RTNetlinkVFControl.pfWideErrnos.contains) == true
            }) {
                let error = SRIOVErrorRecord(s.failures[i].error)
                Self.consume(at: i, in: &s)
                return VFApplyReport(pf: netdev, outcomes: changes.map { .init(index: $0.index, applied: [], error: error) },
                                     requests: 1)
            }
            let outcomes = changes.map { Self.applyOne($0, netdev: netdev, state: &s) }
            return VFApplyReport(pf: netdev, outcomes: outcomes, requests: 1)
        }
    }

    private static func consume(at i: Int, in s: inout State) {
        guard let times = s.failures[i].times else { return }
        if times <= 1 { s.failures.remove(at: i) } else { s.failures[i].times = times - 1 }
    }

    private static func applyOne(_ change: VFChange, netdev: String, state s: inout State) -> VFApplyReport.Outcome {
        guard var pf = s.pfs[netdev] else {
            return .init(index: change.index, applied: [], error: SRIOVErrorRecord(
                SRIOVError(.notFound, "\(netdev): no such network interface", errno: ENODEV)))
        }
        let settings = change.settings
        guard let position = pf.vfs.firstIndex(where: { $0.index == change.index }),
              (0..<pf.numVFs).contains(change.index) else {
            return .init(index: change.index, applied: [], error: SRIOVErrorRecord(
                RTNetlinkVFControl.noSuchVF(pf: netdev, vf: change.index, numVFs: pf.numVFs)))
        }
        var vf = pf.vfs[position]
        let rates: (min: Int, max: Int)?
        do {
            try settings.validate(vfIndex: change.index, pf: netdev)
            rates = try VFKernelAttribute.ratePair(for: settings, current: vf, pf: netdev, index: change.index)
        } catch {
            return .init(index: change.index, applied: [], error: SRIOVErrorRecord(error))
        }
        var outcome = VFApplyReport.Outcome(index: change.index, applied: [])
        defer {
            pf.vfs[position] = vf
            s.pfs[netdev] = pf
        }
        for attribute in VFKernelAttribute.present(in: settings) {
            if let i = s.failures.firstIndex(where: { f in
                f.netdev == netdev && (f.vf == nil || f.vf == change.index)
                    && (f.field == nil || f.field == attribute.name)
                    && (f.onlyIfMAC == nil || f.onlyIfMAC == settings.mac)
            }) {
                let failure = s.failures[i]
                consume(at: i, in: &s)
                if attribute == .mac, settings.mac?.isZero == true, failure.error.errno == EINVAL {
                    // The adapter retries a refused zero MAC with libvirt's placeholder.
                    vf.mac = .placeholder
                    outcome.applied += attribute.fieldNames(in: settings)
                    outcome.notes.append("driver refused the zero MAC; used \(MACAddress.placeholder) as libvirt does")
                    continue
                }
                outcome.error = SRIOVErrorRecord(failure.error)
                return outcome
            }
            switch attribute {
            case .mac: vf.mac = settings.mac!
            case .vlan: vf.vlans = [settings.vlan!]
            case .rate:
                vf.minTxRate = rates!.min
                vf.maxTxRate = rates!.max
            case .spoofCheck: vf.spoofCheck = settings.spoofCheck
            case .linkState: vf.linkState = settings.linkState
            case .trust: vf.trust = settings.trust
            }
            outcome.applied += attribute.fieldNames(in: settings)
        }
        return outcome
    }
}
