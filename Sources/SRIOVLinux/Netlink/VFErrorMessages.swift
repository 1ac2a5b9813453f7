import Glibc
public import SRIOVCore
import SRIOVSyscalls
import SystemPackage

/// Turns a failed rtnetlink request into an ``SRIOVError`` that says what failed, where
/// and why: `eth3 VF 2: driver netdevsim does not support setting the TX rate`.
enum VFErrorMessages {
    /// Where a request failed.
    struct Context {
        /// PF netdev.
        var pf: String
        /// VF index, `nil` for a PF-wide request.
        var vf: Int?
        /// The driver as a phrase: `driver netdevsim`, or `the driver of eth3` when unknown.
        var driver: String
        /// The PF's VF count, when known.
        var numVFs: Int?
        /// The attribute that failed, `nil` when several went in one request.
        var attribute: VFAttribute?
        /// What was asked, for errors the kernel names no attribute for.
        var action: String
    }

    /// The error for `failure` in `context`.
    static func error(_ failure: NetlinkFailure, _ context: Context) -> SRIOVError {
        let at = context.vf.map { "\(context.pf) VF \($0)" } ?? context.pf
        let operation = context.attribute?.operation ?? context.action
        let kernel = failure.extAck.map { " (kernel: \($0))" } ?? ""
        if let socketError = failure.socketError {
            var error = SRIOVError(.system, "\(at): \(operation) failed: netlink \(socketError)",
                                   errno: failure.errno == 0 ? nil : failure.errno)
            error.cause = failure.cause
            return error
        }
        switch failure.errno {
        case ENODEV:
            return SRIOVError(.notFound, "\(context.pf): no such network interface", errno: ENODEV)
        case EOPNOTSUPP:
            return SRIOVError(.notSupported, "\(at): \(context.driver) does not support \(operation)\(kernel)",
                              errno: EOPNOTSUPP)
        case EINVAL:
            if let vf = context.vf, let numVFs = context.numVFs, vf >= numVFs {
                return noSuchVF(pf: context.pf, vf: vf, numVFs: numVFs)
            }
            return SRIOVError(.invalidValue,
                              "\(at): \(context.driver) refused \(operation) (invalid argument)\(kernel)",
                              errno: EINVAL)
        case EPERM, EACCES:
            return SRIOVError(.system, "\(at): \(operation) needs root (CAP_NET_ADMIN): permission denied",
                              errno: failure.errno)
        case EBUSY, EAGAIN:
            return SRIOVError(.busy, "\(at): \(context.driver) is busy (\(describe(failure.errno))); try again\(kernel)",
                              errno: failure.errno)
        default:
            return SRIOVError(.system, "\(at): \(operation) failed: \(describe(failure.errno))\(kernel)",
                              errno: failure.errno)
        }
    }

    /// `eth3 VF 9: no such VF (PF has 8 VFs)`.
    static func noSuchVF(pf: String, vf: Int, numVFs: Int) -> SRIOVError {
        SRIOVError(.notFound, "\(pf) VF \(vf): no such VF (PF has \(numVFs) VF\(numVFs == 1 ? "" : "s"))",
                   errno: EINVAL)
    }

    /// `strerror` text (swift-system's ``Errno``).
    static func describe(_ code: Int32) -> String {
        Errno.describe(code)
    }
}

extension RTNetlinkVFControl {
    /// The error this adapter reports when the kernel refuses `attribute` of VF `vf` of `pf`
    /// with `errno` (`driver` as a phrase: `driver netdevsim`). The in-memory fake words its
    /// injected refusals with this, so fake and adapter say the same thing.
    public static func refusal(errno: Int32, pf: String, vf: Int?, attribute: VFKernelAttribute?,
                               driver: String, numVFs: Int?) -> SRIOVError {
        VFErrorMessages.error(NetlinkFailure(errno: errno), .init(
            pf: pf, vf: vf, driver: driver, numVFs: numVFs, attribute: attribute,
            action: attribute?.operation ?? "setting VFs"))
    }

    /// `eth3 VF 9: no such VF (PF has 8 VFs)`, as this adapter reports it.
    public static func noSuchVF(pf: String, vf: Int, numVFs: Int) -> SRIOVError {
        VFErrorMessages.noSuchVF(pf: pf, vf: vf, numVFs: numVFs)
    }

    /// The errnos after which the adapter stops the whole PF (gone, no permission).
    public static let pfWideErrnos: Set<Int32> = [ENODEV, EPERM, EACCES]
}
