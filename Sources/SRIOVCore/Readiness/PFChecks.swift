/// `pf.sriov` and `pf.link`: one PF's SR-IOV support and link.
public enum PFChecks {
    static let sriovTitle = "SR-IOV supported by the PF's driver"
    static let sriovWhy = "VFs exist only when the PF's driver and firmware support SR-IOV; sriov_totalvfs is how many "
        + "the device offers."
    static let linkTitle = "PF link up"
    static let linkWhy = "VFs share the PF's port: with the PF down no VF traffic flows, and libvirt refuses to start "
        + "a guest with an <interface type='hostdev'> on it."

    /// Both checks for `pf`, SR-IOV first.
    public static func evaluate(_ pf: PhysicalFunction, _ snapshot: ReadinessSnapshot) -> [ReadinessCheck] {
        [sriov(pf, snapshot), link(pf, snapshot)]
    }

    static func subject(_ pf: PhysicalFunction) -> ReadinessSubject {
        ReadinessSubject(pf: pf.name, pfAddress: pf.pciAddress)
    }

    static func deviceDir(_ pf: PhysicalFunction, _ snapshot: ReadinessSnapshot) -> String {
        pf.kind == .pci ? snapshot.sources.sysfs("bus/pci/devices/\(pf.sysfsDevice)")
            : snapshot.sources.sysfs("class/net/\(pf.name)/device")
    }

    static func sriov(_ pf: PhysicalFunction, _ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        let dir = deviceDir(pf, snapshot)
        let counts = pf.numVFs.map { "sriov_numvfs = \($0)" } ?? "sriov_numvfs unreadable"
        guard pf.kind == .pci else {
            return ReadinessCheck(id: .pfSRIOV, title: sriovTitle, subject: subject(pf), status: .pass,
                                  observed: "\(dir)/sriov_numvfs: \(counts); not a PCI device (\(pf.kind.rawValue)): its VFs "
                                      + "have no PCI function and cannot be passed through, PCI checks do not apply",
                                  sources: ["\(dir)/sriov_numvfs"], why: sriovWhy)
        }
        let sources = ["\(dir)/sriov_totalvfs", "\(dir)/sriov_numvfs", "\(dir)/driver"]
        let driver = pf.driver.map { "driver \($0)" } ?? "no driver bound"
        let observed = "\(dir): sriov_totalvfs = \(pf.totalVFs.map(String.init) ?? "unreadable"), \(counts), \(driver)"
        guard let driverName = pf.driver else {
            return ReadinessCheck(id: .pfSRIOV, title: sriovTitle, subject: subject(pf), status: .fail,
                                  observed: observed, sources: sources, why: sriovWhy,
                                  fix: FixAdvice(summary: "Bind the PF to its driver: only the PF driver can create VFs.",
                                                 steps: [FixStep("Let the kernel probe it again (or modprobe its driver):",
                                                                 command: "echo \(pf.sysfsDevice) > /sys/bus/pci/drivers_probe")]))
        }
        guard let total = pf.totalVFs else {
            return ReadinessCheck(id: .pfSRIOV, title: sriovTitle, subject: subject(pf), status: .warn,
                                  observed: observed, sources: sources, why: sriovWhy,
                                  fix: FixAdvice(summary: "Check why sriov_totalvfs cannot be read.",
                                                 steps: [FixStep("Read it as root:", command: "cat /sys/bus/pci/devices/\(pf.sysfsDevice)/sriov_totalvfs")]))
        }
        guard total > 0 else {
            return ReadinessCheck(id: .pfSRIOV, title: sriovTitle, subject: subject(pf), status: .fail,
                                  observed: observed, sources: sources, why: sriovWhy,
                                  fix: FixAdvice(summary: "The device offers no VFs: turn SR-IOV on in firmware or the driver.",
                                                 steps: [FixStep("Enable SR-IOV in the system firmware setup and in the adapter's own "
                                                                 + "configuration (NVM/firmware tool of the vendor)."),
                                                         FixStep("Drivers that take a module parameter (igb, some ixgbe) need it set, "
                                                                 + "e.g. in /etc/modprobe.d/\(driverName).conf:",
                                                                 fileLine: "options \(driverName) max_vfs=7"),
                                                         KernelArgumentFix.rebootStep],
                                                 rebootRequired: true))
        }
        let note = (pf.numVFs ?? 0) == 0 ? "; no VFs enabled yet (sriovctl provision, or write sriov_numvfs)" : ""
        return ReadinessCheck(id: .pfSRIOV, title: sriovTitle, subject: subject(pf), status: .pass,
                              observed: observed + note, sources: sources, why: sriovWhy)
    }

    static func link(_ pf: PhysicalFunction, _ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        guard let netdev = pf.netdev else {
            return ReadinessCheck(id: .pfLink, title: linkTitle, subject: subject(pf), status: .pass,
                                  observed: "no network interface (\(pf.driver ?? "unbound") device): link check does not apply",
                                  sources: ["\(deviceDir(pf, snapshot))/net"], why: linkWhy)
        }
        let source = snapshot.sources.sysfs("class/net/\(netdev)/operstate")
        let state = pf.linkState ?? "unreadable"
        switch state {
        case "up":
            return ReadinessCheck(id: .pfLink, title: linkTitle, subject: subject(pf), status: .pass,
                                  observed: "\(source) = up", sources: [source], why: linkWhy)
        case "unknown":
            return ReadinessCheck(id: .pfLink, title: linkTitle, subject: subject(pf), status: .pass,
                                  observed: "\(source) = unknown (the driver does not report link state)",
                                  sources: [source], why: linkWhy)
        default:
            return ReadinessCheck(id: .pfLink, title: linkTitle, subject: subject(pf), status: .warn,
                                  observed: "\(source) = \(state)", sources: [source], why: linkWhy,
                                  fix: FixAdvice(summary: "Bring \(netdev) up and check its cable and switch port.",
                                                 steps: [FixStep("Set the interface up:", command: "ip link set \(netdev) up"),
                                                         FixStep("If it stays down, check the cable and the switch port (no carrier).")]))
        }
    }
}
