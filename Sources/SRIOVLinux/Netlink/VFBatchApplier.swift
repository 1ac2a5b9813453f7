import Glibc
import Logging
public import SRIOVCore

/// Programs many VFs of one PF: one `RTM_SETLINK` for the whole PF (split only when the
/// entries would not fit one request), then, if the kernel refuses, one request per VF to
/// find the failing VF, then one per attribute (in the kernel's order) to say which
/// settings were applied before the failing one.
struct VFBatchApplier {
    /// The PF as read just before.
    let pf: PFLinkStatus
    /// `driver netdevsim` (for messages).
    let driver: String
    /// Where requests go.
    let transport: any NetlinkTransport
    /// Largest `IFLA_VFINFO_LIST` content per request, in bytes. Below the nest's 65535
    /// limit and libnl's default 32 KiB socket buffer.
    let budget: Int
    /// Diagnostics.
    let logger: Logger
    /// `RTM_SETLINK` requests sent so far.
    private(set) var requests = 0

    init(pf: PFLinkStatus, driver: String, transport: any NetlinkTransport, budget: Int, logger: Logger) {
        self.pf = pf
        self.driver = driver
        self.transport = transport
        self.budget = budget
        self.logger = logger
    }

    /// Applies `changes` and returns one outcome per change, in order.
    mutating func apply(_ changes: [VFChange]) -> [VFApplyReport.Outcome] {
        var outcomes = changes.map { VFApplyReport.Outcome(index: $0.index, applied: []) }
        var pending: [(position: Int, wire: VFWireSettings)] = []
        for (position, change) in changes.enumerated() {
            guard (0..<pf.numVFs).contains(change.index) else {
                outcomes[position].error = SRIOVErrorRecord(
                    VFErrorMessages.noSuchVF(pf: pf.name, vf: change.index, numVFs: pf.numVFs))
                continue
            }
            do {
                try change.settings.validate(vfIndex: change.index, pf: pf.name)
                let wire = try VFWireSettings(index: change.index, settings: change.settings,
                                              current: pf.vf(change.index), pf: pf.name)
                if !wire.attributes.isEmpty { pending.append((position, wire)) }
            } catch {
                outcomes[position].error = SRIOVErrorRecord(error)
            }
        }

        var fatal: SRIOVError?
        for chunk in chunks(pending) {
            if let fatal {
                for item in chunk { outcomes[item.position].error = SRIOVErrorRecord(fatal) }
                continue
            }
            switch send(chunk.map(\.wire)) {
            case nil:
                for item in chunk { outcomes[item.position].applied = item.wire.fieldNames(item.wire.attributes) }
            case let failure?:
                logger.info("\(pf.name): batch of \(chunk.count) VFs refused (\(failure.socketError ?? VFErrorMessages.describe(failure.errno))); retrying VF by VF")
                if let pfWide = pfWideError(failure) {
                    fatal = pfWide
                    for item in chunk { outcomes[item.position].error = SRIOVErrorRecord(pfWide) }
                    continue
                }
                for item in chunk {
                    if let fatal {
                        outcomes[item.position].error = SRIOVErrorRecord(fatal)
                        continue
                    }
                    outcomes[item.position] = applyOne(item.wire)
                    if let error = outcomes[item.position].error?.error, error.errno == ENODEV { fatal = error }
                }
            }
        }
        return outcomes
    }

    /// One VF: one request, then attribute by attribute when it fails.
    private mutating func applyOne(_ wire: VFWireSettings) -> VFApplyReport.Outcome {
        var outcome = VFApplyReport.Outcome(index: wire.index, applied: [])
        guard let failure = send([wire]) else {
            outcome.applied = wire.fieldNames(wire.attributes)
            return outcome
        }
        if wire.attributes.count == 1 {
            return finish(outcome, wire: wire, attribute: wire.attributes[0], failure: failure)
        }
        for attribute in wire.attributes {
            let single = wire.only(attribute)
            if let failure = send([single]) {
                return finish(outcome, wire: wire, attribute: attribute, failure: failure)
            }
            outcome.applied += wire.fieldNames([attribute])
        }
        return outcome
    }

    /// Records `attribute`'s failure, retrying a refused zero MAC with libvirt's placeholder.
    private mutating func finish(_ start: VFApplyReport.Outcome, wire: VFWireSettings, attribute: VFAttribute,
                                 failure: NetlinkFailure) -> VFApplyReport.Outcome {
        var outcome = start
        if attribute == .mac, wire.settings.mac?.isZero == true, failure.errno == EINVAL, failure.socketError == nil {
            var placeholder = wire.only(.mac)
            placeholder.settings.mac = .placeholder
            if send([placeholder]) == nil {
                outcome.applied += wire.fieldNames([.mac])
                outcome.notes.append("driver refused the zero MAC; used \(MACAddress.placeholder) as libvirt does")
                // Go on with the attributes after the MAC.
                for next in wire.attributes where next > .mac {
                    if let failure = send([wire.only(next)]) {
                        outcome.error = SRIOVErrorRecord(error(failure, vf: wire.index, attribute: next))
                        return outcome
                    }
                    outcome.applied += wire.fieldNames([next])
                }
                return outcome
            }
        }
        outcome.error = SRIOVErrorRecord(error(failure, vf: wire.index, attribute: attribute))
        return outcome
    }

    /// Sends one request for `vfs`; `nil` when acknowledged. A request that cannot be built
    /// fails like a socket error (the whole PF stops), keeping the builder's error as its
    /// cause and its errno, if any, rather than a made-up one.
    private mutating func send(_ vfs: [VFWireSettings]) -> NetlinkFailure? {
        let request: NetlinkMessage
        do {
            request = try LinkRequests.setVFs(ifindex: pf.ifindex, vfs)
        } catch {
            return NetlinkFailure(errno: error.errno ?? 0, socketError: "request not built (\(error.message))", cause: error)
        }
        requests += 1
        do {
            _ = try transport.exchange(request)
            return nil
        } catch {
            return error
        }
    }

    /// The error that ends the whole PF (gone, no permission), or `nil`.
    private func pfWideError(_ failure: NetlinkFailure) -> SRIOVError? {
        guard RTNetlinkVFControl.pfWideErrnos.contains(failure.errno) || failure.socketError != nil else { return nil }
        return VFErrorMessages.error(failure, .init(pf: pf.name, vf: nil, driver: driver, numVFs: pf.numVFs,
                                                    attribute: nil, action: "setting VFs"))
    }

    private func error(_ failure: NetlinkFailure, vf: Int, attribute: VFAttribute) -> SRIOVError {
        VFErrorMessages.error(failure, .init(pf: pf.name, vf: vf, driver: driver, numVFs: pf.numVFs,
                                             attribute: attribute, action: attribute.operation))
    }

    /// `pending` split so each request's VF list stays within ``budget`` bytes.
    private func chunks(_ pending: [(position: Int, wire: VFWireSettings)]) -> [[(position: Int, wire: VFWireSettings)]] {
        var result: [[(position: Int, wire: VFWireSettings)]] = []
        var current: [(position: Int, wire: VFWireSettings)] = []
        var size = 0
        for item in pending {
            let itemSize = LinkRequests.encodedSize(of: item.wire)
            if !current.isEmpty && size + itemSize > budget {
                result.append(current)
                current = []
                size = 0
            }
            current.append(item)
            size += itemSize
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
