/// `interrupts.unsafe`: `vfio_iommu_type1 allow_unsafe_interrupts` is not turned on.
///
/// Looks at the live module parameter, `options vfio_iommu_type1 allow_unsafe_interrupts=1`
/// lines in modprobe.d files, and `vfio_iommu_type1.allow_unsafe_interrupts=` on the kernel
/// command line. Any of them set → warning, naming where, with the risk and how to undo it.
public enum UnsafeInterruptsCheck {
    static let title = "Unsafe interrupts not allowed (vfio_iommu_type1 allow_unsafe_interrupts)"
    static let why = "allow_unsafe_interrupts lets VFIO assign devices without interrupt remapping. A guest can then "
        + "program its device to write arbitrary MSI messages: forge interrupts to the host and other guests, and "
        + "use that DMA path to attack the host. Acceptable only when every guest is fully trusted."
    static let parameter = "module/vfio_iommu_type1/parameters/allow_unsafe_interrupts"

    /// Runs the check.
    public static func evaluate(_ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        let facts = snapshot.unsafeInterrupts
        let parameterPath = snapshot.sources.sysfs(parameter)
        let modprobeDirs = ModprobeDirectories.all.map { snapshot.sources.host($0) }
        let cmdlineValue = snapshot.kernelCommandLine?.value(of: "vfio_iommu_type1.allow_unsafe_interrupts")
        let cmdlineSet = cmdlineValue.map(KernelBool.isTrue) ?? false
        let sources = [parameterPath] + modprobeDirs + [snapshot.sources.host("proc/cmdline")]

        var seen: [String] = []
        if let value = facts.runtimeValue { seen.append("\(parameterPath) = \(value)") }
        else { seen.append("vfio_iommu_type1 not loaded (\(parameterPath) absent)") }
        for line in facts.configLines { seen.append("\(line.path):\(line.line): \(line.text)") }
        if cmdlineSet { seen.append("\(snapshot.sources.host("proc/cmdline")) has vfio_iommu_type1.allow_unsafe_interrupts=\(cmdlineValue ?? "")") }

        guard facts.runtimeEnabled || !facts.configLines.isEmpty || cmdlineSet else {
            if facts.runtimeValue == nil { seen.append("no allow_unsafe_interrupts option in modprobe.d") }
            return ReadinessCheck(id: .unsafeInterrupts, title: title, status: .pass,
                                  observed: seen.joined(separator: "; "), sources: sources, why: why)
        }

        var steps: [FixStep] = []
        for line in facts.configLines {
            steps.append(FixStep("Delete line \(line.line) of \(hostPath(line.path, snapshot)): \(line.text)"))
        }
        if cmdlineSet {
            steps += KernelArgumentFix.steps(adding: [],
                                             removing: ["vfio_iommu_type1.allow_unsafe_interrupts=\(cmdlineValue ?? "1")"],
                                             on: snapshot)
        }
        if facts.runtimeEnabled {
            steps.append(FixStep("Turn it off now (applies to devices assigned from now on):",
                                 command: "echo N > /sys/\(parameter)"))
        }
        if cmdlineSet { steps.append(KernelArgumentFix.rebootStep) }
        return ReadinessCheck(id: .unsafeInterrupts, title: title, status: .warn,
                              observed: seen.joined(separator: "; "), sources: sources, why: why,
                              fix: FixAdvice(summary: "Remove allow_unsafe_interrupts unless every guest is trusted; "
                                                 + "get interrupt remapping working instead.",
                                             steps: steps, rebootRequired: cmdlineSet))
    }

    /// The host's own path for a file read under the host root (`<root>/etc/x` → `/etc/x`).
    static func hostPath(_ path: String, _ snapshot: ReadinessSnapshot) -> String {
        let root = snapshot.sources.hostRoot
        guard root != "/", path.hasPrefix(root + "/") else { return path }
        return String(path.dropFirst(root.count))
    }
}

/// The directories modprobe reads configuration from, relative to the host root.
public enum ModprobeDirectories {
    /// `etc/modprobe.d`, `run/modprobe.d`, `usr/lib/modprobe.d`, `lib/modprobe.d`.
    public static let all = ["etc/modprobe.d", "run/modprobe.d", "usr/lib/modprobe.d", "lib/modprobe.d"]
}
