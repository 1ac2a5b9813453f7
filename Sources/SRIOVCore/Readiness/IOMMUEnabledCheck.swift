/// `iommu.enabled`: the IOMMU translates DMA, seen as IOMMU groups in sysfs.
///
/// Passes when `/sys/kernel/iommu_groups` has groups. Otherwise fails with the fix for
/// this platform: the firmware switch (VT-d / AMD-Vi; skipped when the firmware already
/// publishes its DMAR/IVRS table), `intel_iommu=on` or `amd_iommu=on` through this host's
/// boot loader (and removal of any `...=off`), then a reboot. POWER needs no kernel option.
/// A virtual machine is told to ask its hypervisor for a virtual IOMMU instead of firmware.
public enum IOMMUEnabledCheck {
    static let title = "IOMMU enabled"
    static let why = "Without an active IOMMU the kernel cannot confine a device's DMA to one guest's memory: "
        + "VFIO refuses to hand out devices, and a guest with a <hostdev> or <interface type='hostdev'> fails to start."

    /// Runs the check.
    public static func evaluate(_ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        let sources = [snapshot.sources.sysfs("class/iommu"), snapshot.sources.sysfs("kernel/iommu_groups")]
        let iommu = snapshot.iommu
        let units = iommu.units.isEmpty ? "\(sources[0]) is empty" : "\(sources[0]): \(iommu.units.joined(separator: ", "))"
        if iommu.isActive {
            return ReadinessCheck(id: .iommuEnabled, title: title, status: .pass,
                                  observed: "\(units); \(sources[1]) has \(iommu.groupCount) group\(iommu.groupCount == 1 ? "" : "s")",
                                  sources: sources, why: why)
        }
        var observed = "\(units); \(sources[1]) has no groups"
        let platform = snapshot.iommuPlatform
        observed += "; IOMMU kind from \(platform.evidence)"
        if let cmdline = snapshot.kernelCommandLine {
            let relevant = cmdline.arguments.filter { $0.hasPrefix("intel_iommu") || $0.hasPrefix("amd_iommu") || $0.hasPrefix("iommu") }
            observed += "; \(snapshot.sources.host("proc/cmdline")): "
                + (relevant.isEmpty ? "no IOMMU option" : relevant.joined(separator: " "))
        }
        return ReadinessCheck(id: .iommuEnabled, title: title, status: .fail, observed: observed,
                              sources: sources + [snapshot.sources.host("proc/cmdline"), snapshot.sources.host("proc/cpuinfo")],
                              why: why, fix: fix(snapshot, platform))
    }

    /// The kernel arguments this check's fix adds and removes; empty when the IOMMU is on.
    /// Other checks' GRUB lines include it, so following every fix in order never undoes one.
    public static func kernelArgumentChange(_ snapshot: ReadinessSnapshot) -> (add: [String], remove: [String]) {
        guard !snapshot.iommu.isActive else { return ([], []) }
        let platform = snapshot.iommuPlatform
        let cmdline = snapshot.kernelCommandLine ?? KernelCommandLine(arguments: [])
        // Arguments that switch an IOMMU off, whatever the platform.
        var remove = cmdline.argumentsTurningOff("iommu")
        if let key = platform.optionKey { remove += cmdline.argumentsTurningOff(key) }
        var add: [String] = []
        if let argument = platform.enableArgument, let key = platform.optionKey, !cmdline.options(of: key).contains("on") {
            add.append(argument)
        }
        return (add, remove)
    }

    static func fix(_ snapshot: ReadinessSnapshot, _ platform: IOMMUPlatformGuess) -> FixAdvice {
        let (add, remove) = kernelArgumentChange(snapshot)

        if platform.kind == .power {
            var steps = [FixStep("POWER enables its IOMMU by default: no kernel command line option is needed.")]
            steps += KernelArgumentFix.steps(adding: [], removing: remove, on: snapshot)
            steps.append(FixStep("Use a kernel with IOMMU support for POWER (CONFIG_SPAPR_TCE_IOMMU); under PowerVM, "
                                 + "make sure the adapter is assigned to this partition."))
            if !remove.isEmpty { steps.append(KernelArgumentFix.rebootStep) }
            return FixAdvice(summary: "No IOMMU groups on a POWER host: the kernel lacks IOMMU support or it was turned off.",
                             steps: steps, rebootRequired: !remove.isEmpty)
        }

        var steps: [FixStep] = []
        if platform.virtualMachine {
            steps.append(FixStep("This host is a virtual machine: its IOMMU is the hypervisor's. Give it a virtual IOMMU, "
                                 + "e.g. QEMU `-machine q35,kernel-irqchip=split -device intel-iommu,intremap=on`, "
                                 + "or libvirt `<iommu model='intel'><driver intremap='on'/></iommu>` under <devices>."))
        } else if let table = platform.acpiTable {
            if let tables = snapshot.iommu.acpiTables {
                if !tables.contains(table) {
                    steps.append(FixStep("Enable \(platform.firmwareFeature) in the firmware (BIOS/UEFI) setup: the firmware "
                                         + "publishes no ACPI \(table) table (\(snapshot.sources.sysfs("firmware/acpi/tables/\(table)")) is missing)."))
                }
            } else {
                steps.append(FixStep("Make sure \(platform.firmwareFeature) is enabled in the firmware (BIOS/UEFI) setup."))
            }
        } else {
            steps.append(FixStep("Enable \(platform.firmwareFeature) in the firmware setup."))
        }

        steps += KernelArgumentFix.steps(adding: add, removing: remove, on: snapshot)
        if platform.kind == .other && add.isEmpty && remove.isEmpty {
            steps.append(FixStep("Check that the kernel is built with IOMMU support for this platform."))
        }
        steps.append(KernelArgumentFix.rebootStep)

        let feature = platform.virtualMachine ? "a virtual IOMMU in the hypervisor" : platform.firmwareFeature
        let summary: String
        switch (platform.enableArgument, add.isEmpty) {
        case (let argument?, false): summary = "Turn on \(feature) and boot with \(argument)."
        case (let argument?, true): summary = "The kernel command line already has \(argument): turn on \(feature)."
        case (nil, _): summary = "Turn on \(feature)."
        }
        return FixAdvice(summary: summary, steps: steps, rebootRequired: true)
    }
}
