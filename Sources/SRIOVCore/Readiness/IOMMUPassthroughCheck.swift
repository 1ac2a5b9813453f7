/// `iommu.passthrough`: advice about `iommu=pt`. Never warns or fails.
///
/// With `iommu=pt` the host's own devices use identity mapping (no translation cost) while
/// devices given to guests are still confined. It is a performance tip (seed 002: "try
/// adding iommu=pt"), not a requirement, and not every platform supports it, so a missing
/// `iommu=pt` passes with an optional fix. Applies to x86 only.
public enum IOMMUPassthroughCheck {
    static let title = "IOMMU pass-through mode for host devices (iommu=pt)"
    static let why = "iommu=pt lets the host's own devices skip IOMMU translation (faster host I/O) while devices "
        + "assigned to guests stay confined. Optional; if devices misbehave with it, remove it again."

    /// Runs the check.
    public static func evaluate(_ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        let source = snapshot.sources.host("proc/cmdline")
        let platform = snapshot.iommuPlatform
        guard platform.kind == .intel || platform.kind == .amd else {
            return ReadinessCheck(id: .iommuPassthrough, title: title, status: .pass,
                                  observed: "not applicable: \(platform.evidence) (iommu=pt is an x86 option)",
                                  sources: [source], why: why)
        }
        guard let cmdline = snapshot.kernelCommandLine else {
            return ReadinessCheck(id: .iommuPassthrough, title: title, status: .pass,
                                  observed: "\(source) unreadable; cannot tell whether iommu=pt is set",
                                  sources: [source], why: why)
        }
        if cmdline.iommuPassthrough {
            return ReadinessCheck(id: .iommuPassthrough, title: title, status: .pass,
                                  observed: "\(source) has iommu=pt", sources: [source], why: why)
        }
        var steps = KernelArgumentFix.steps(adding: ["iommu=pt"], removing: [], on: snapshot)
        steps.append(KernelArgumentFix.rebootStep)
        return ReadinessCheck(id: .iommuPassthrough, title: title, status: .pass,
                              observed: "\(source) has no iommu=pt (host devices use full IOMMU translation)",
                              sources: [source], why: why,
                              fix: FixAdvice(summary: "Optional: boot with iommu=pt for faster host I/O.", steps: steps,
                                             rebootRequired: true, optional: true))
    }
}
