/// Turns "add these kernel arguments, remove those" into steps for this host's boot loader.
///
/// Order of preference: grubby when the host has it (RHEL, Rocky, Fedora: it edits every
/// boot entry's options itself), else `/etc/default/grub` plus the distribution's way of
/// regenerating grub.cfg (`update-grub` on Debian/Ubuntu, `grub2-mkconfig` on RHEL-like and
/// SUSE, `grub-mkconfig` elsewhere), else a plain instruction.
public enum KernelArgumentFix {
    /// The steps, without the final reboot (see ``rebootStep``).
    public static func steps(adding add: [String], removing remove: [String],
                             on snapshot: ReadinessSnapshot) -> [FixStep] {
        guard !add.isEmpty || !remove.isEmpty else { return [] }
        let boot = snapshot.bootLoader
        if let grubby = boot.grubbyPath {
            var steps: [FixStep] = []
            let tool = grubby.hasSuffix("/grubby") ? "grubby" : grubby
            if !remove.isEmpty {
                steps.append(FixStep("Remove \(list(remove)) from the default boot entry (grubby, \(grubby)):",
                                     command: "\(tool) --remove-args=\"\(remove.joined(separator: " "))\" --update-kernel DEFAULT"))
            }
            if !add.isEmpty {
                steps.append(FixStep("Add \(list(add)) to the default boot entry (grubby, \(grubby)):",
                                     command: "\(tool) --args=\"\(add.joined(separator: " "))\" --update-kernel DEFAULT"))
            }
            return steps
        }
        if let grub = boot.grubDefaults {
            // The whole line is replaced, so it carries the IOMMU fix's change too: following
            // two fixes one after the other must not undo the first.
            let pending = IOMMUEnabledCheck.kernelArgumentChange(snapshot)
            let allAdd = pending.add + add.filter { !pending.add.contains($0) }
            let allRemove = pending.remove + remove.filter { !pending.remove.contains($0) }
            let assignment = grub.cmdlineAssignment(adding: allAdd, removing: allRemove)
            let carried = allAdd.count + allRemove.count > add.count + remove.count ? " (this includes the IOMMU fix above)" : ""
            let edit = grub.cmdlineLine.map { "In \(grub.path), line \($0), set\(carried):" }
                ?? "In \(grub.path), add the line\(carried):"
            return [FixStep(edit, fileLine: assignment), regenerateStep(snapshot)]
        }
        var words: [String] = []
        if !add.isEmpty { words.append("add \(list(add))") }
        if !remove.isEmpty { words.append("remove \(list(remove))") }
        return [FixStep("In your boot loader's configuration, \(words.joined(separator: " and ")) on the kernel command line "
                        + "(no grubby and no /etc/default/grub were found).")]
    }

    /// The final step for changes that need a new boot.
    public static let rebootStep = FixStep("Reboot for the change to take effect:", command: "reboot")

    /// The command that rebuilds grub.cfg from /etc/default/grub on this distribution.
    static func regenerateStep(_ snapshot: ReadinessSnapshot) -> FixStep {
        let family = snapshot.distribution?.family ?? .other
        let name = snapshot.distribution?.prettyName ?? snapshot.distribution?.id ?? "this distribution"
        switch family {
        case .debian:
            return FixStep("Regenerate the GRUB configuration (\(name)):", command: "update-grub")
        case .redHat, .suse:
            let cfg = snapshot.bootLoader.grubConfigPath ?? "/boot/grub2/grub.cfg"
            return FixStep("Regenerate the GRUB configuration (\(name)):", command: "grub2-mkconfig -o \(cfg)")
        case .other:
            let cfg = snapshot.bootLoader.grubConfigPath ?? "/boot/grub/grub.cfg"
            let tool = cfg.contains("/grub2/") ? "grub2-mkconfig" : "grub-mkconfig"
            return FixStep("Regenerate the GRUB configuration (\(name)):", command: "\(tool) -o \(cfg)")
        }
    }

    private static func list(_ arguments: [String]) -> String {
        arguments.map { "`\($0)`" }.joined(separator: " ")
    }
}
