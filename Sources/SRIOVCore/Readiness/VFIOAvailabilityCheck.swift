/// `vfio.pci-driver`: the vfio-pci driver is loaded, built in, or loadable.
///
/// `/sys/bus/pci/drivers/vfio-pci` present → pass. Otherwise `/lib/modules/<release>/modules.builtin`
/// and `modules.dep` decide: listed → pass (libvirt and driverctl load it on demand);
/// not listed → fail; lists unreadable → warn.
public enum VFIOAvailabilityCheck {
    static let title = "VFIO driver (vfio-pci) available"
    static let why = "libvirt and driverctl hand a device to a guest by binding it to vfio-pci; without that driver "
        + "a guest with a <hostdev> cannot start."

    /// Runs the check.
    public static func evaluate(_ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        let driverPath = snapshot.sources.sysfs("bus/pci/drivers/vfio-pci")
        let release = snapshot.kernelRelease
        let modulesDir = snapshot.sources.host("lib/modules/\(release ?? "<release>")")
        let sources = [driverPath, modulesDir + "/modules.builtin", modulesDir + "/modules.dep"]
        if snapshot.vfio.driverRegistered {
            return ReadinessCheck(id: .vfioPCI, title: title, status: .pass,
                                  observed: "\(driverPath) exists (vfio-pci is loaded)", sources: sources, why: why)
        }
        switch snapshot.vfio.module {
        case .builtin:
            return ReadinessCheck(id: .vfioPCI, title: title, status: .pass,
                                  observed: "\(modulesDir)/modules.builtin lists vfio-pci (built into the kernel)",
                                  sources: sources, why: why)
        case .loadable(let path):
            return ReadinessCheck(id: .vfioPCI, title: title, status: .pass,
                                  observed: "vfio-pci not loaded; \(modulesDir)/modules.dep lists \(path) "
                                      + "(libvirt loads it when a guest starts)",
                                  sources: sources, why: why,
                                  fix: FixAdvice(summary: "Optional: load vfio-pci now and at every boot.",
                                                 steps: [FixStep("Load it now:", command: "modprobe vfio-pci"),
                                                         FixStep("Load it at boot:",
                                                                 command: "echo vfio-pci > /etc/modules-load.d/vfio-pci.conf")],
                                                 optional: true))
        case .absent:
            return ReadinessCheck(id: .vfioPCI, title: title, status: .fail,
                                  observed: "vfio-pci not loaded, and neither modules.builtin nor modules.dep in "
                                      + "\(modulesDir) lists it",
                                  sources: sources, why: why,
                                  fix: FixAdvice(summary: "Boot a kernel that has vfio-pci (CONFIG_VFIO_PCI).",
                                                 steps: [FixStep("Install the distribution's full kernel modules for \(release ?? "this kernel") "
                                                                 + "(Ubuntu: linux-modules-extra-\(release ?? "$(uname -r)")), or build the kernel with "
                                                                 + "CONFIG_VFIO, CONFIG_VFIO_PCI and CONFIG_VFIO_IOMMU_TYPE1."),
                                                         FixStep("Then load it:", command: "modprobe vfio-pci")]))
        case .unknown:
            return ReadinessCheck(id: .vfioPCI, title: title, status: .warn,
                                  observed: "vfio-pci not loaded, and \(modulesDir)/modules.dep could not be read"
                                      + (release == nil ? " (kernel release unknown)" : ""),
                                  sources: sources, why: why,
                                  fix: FixAdvice(summary: "Load vfio-pci to see whether this kernel has it.",
                                                 steps: [FixStep("Load it:", command: "modprobe vfio-pci")]))
        }
    }
}
