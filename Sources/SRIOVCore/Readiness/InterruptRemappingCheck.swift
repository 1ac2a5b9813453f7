/// `interrupts.remapping`: interrupt remapping is in use (x86).
///
/// Evidence is `IR-` interrupt chips in `/proc/interrupts` (see ``InterruptRemappingEvidence``).
/// Without remapping, VFIO's type1 backend refuses to attach a device ("No interrupt
/// remapping support") unless `allow_unsafe_interrupts` is set: that is a failure, or a
/// warning when the unsafe override is what keeps passthrough working. Not applicable on
/// POWER and Arm, whose IOMMUs isolate MSIs themselves.
public enum InterruptRemappingCheck {
    static let title = "Interrupt remapping"
    static let why = "A device given to a guest can write any MSI message. Interrupt remapping lets the IOMMU check "
        + "those writes, so the guest cannot inject interrupts into the host or other guests; VFIO refuses "
        + "devices without it unless allow_unsafe_interrupts is set."

    /// Runs the check.
    public static func evaluate(_ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        let source = snapshot.sources.host("proc/interrupts")
        let platform = snapshot.iommuPlatform
        if !snapshot.cpu.vendor.isX86 && snapshot.cpu.vendor != .unknown {
            return ReadinessCheck(id: .interruptRemapping, title: title, status: .pass,
                                  observed: "not applicable: \(platform.evidence) (interrupt remapping is an x86 feature)",
                                  sources: [snapshot.sources.host("proc/cpuinfo")], why: why)
        }
        guard let evidence = snapshot.interrupts else {
            return ReadinessCheck(id: .interruptRemapping, title: title, status: .warn,
                                  observed: "\(source) unreadable; cannot tell whether interrupts are remapped",
                                  sources: [source], why: why,
                                  fix: FixAdvice(summary: "Check the kernel log for interrupt remapping.",
                                                 steps: [FixStep("Look for \"Enabled IRQ remapping\" in the kernel log:",
                                                                 command: "dmesg | grep -i 'irq remapping'")]))
        }
        if evidence.isActive {
            return ReadinessCheck(id: .interruptRemapping, title: title, status: .pass,
                                  observed: "\(source): \(evidence.remappedLines) of \(evidence.interruptLines) interrupt lines "
                                      + "use remapping chips (\(evidence.example ?? "IR-"))",
                                  sources: [source], why: why)
        }
        let observed = "\(source): none of \(evidence.interruptLines) interrupt lines uses an IR- chip"
        if snapshot.unsafeInterrupts.runtimeEnabled {
            return ReadinessCheck(id: .interruptRemapping, title: title, status: .warn,
                                  observed: observed + "; VFIO accepts devices only because allow_unsafe_interrupts is Y",
                                  sources: [source], why: why, fix: fix(snapshot, platform))
        }
        return ReadinessCheck(id: .interruptRemapping, title: title, status: .fail, observed: observed,
                              sources: [source], why: why, fix: fix(snapshot, platform))
    }

    static func fix(_ snapshot: ReadinessSnapshot, _ platform: IOMMUPlatformGuess) -> FixAdvice {
        var steps: [FixStep] = []
        if !snapshot.iommu.isActive {
            steps.append(FixStep("Interrupt remapping comes with the IOMMU: fix \"\(IOMMUEnabledCheck.title)\" first."))
        }
        let cmdline = snapshot.kernelCommandLine ?? KernelCommandLine(arguments: [])
        let remove = cmdline.arguments.filter { $0 == "intremap=off" || $0 == "nointremap" }
        if platform.virtualMachine {
            steps.append(FixStep("This host is a virtual machine: give its virtual IOMMU interrupt remapping, e.g. QEMU "
                                 + "`-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on`, or libvirt "
                                 + "`<iommu model='intel'><driver intremap='on'/></iommu>`."))
        } else {
            steps.append(FixStep("Enable \(platform.firmwareFeature) and, where offered, \"Interrupt Remapping\" and x2APIC "
                                 + "in the firmware setup (old chipsets without remapping cannot isolate MSIs)."))
        }
        let bootSteps = KernelArgumentFix.steps(adding: [], removing: remove, on: snapshot)
        steps += bootSteps
        steps.append(FixStep("Do not fall back on allow_unsafe_interrupts unless every guest is fully trusted."))
        steps.append(KernelArgumentFix.rebootStep)
        return FixAdvice(summary: "Turn on interrupt remapping" + (remove.isEmpty ? "." : " and stop disabling it on the kernel command line."),
                         steps: steps, rebootRequired: true)
    }
}
