/// `vf.iommu-group`: a VF's IOMMU group holds nothing a guest cannot take with it.
///
/// A group is the unit VFIO hands to a guest. Every other endpoint in it must be detached
/// from host drivers before the guest can start, and it can then only go to that same
/// guest. PCI bridges and root ports (class 0x0604xx) are not endpoints and never block,
/// as in seed 000 where two root ports share the group.
///
/// Fails when the VF has no group, or when any other endpoint is in it: bound to a host
/// driver (the guest will not start; fix: `virsh nodedev-detach` or `driverctl
/// set-override ... vfio-pci`), detached/unbound (the VF is not isolated: the devices
/// can only go to one guest together), or the VF's own PF (no detach can help: the PF
/// driver owns the VFs; only ACS separates them).
public enum VFIsolationCheck {
    static let title = "IOMMU group isolated"
    static let why = "VFIO gives a guest a whole IOMMU group. Endpoints that share the VF's group must be detached from "
        + "host drivers or the guest fails to start, and they can only go to that same guest; bridges do not count."

    /// Detached-from-host drivers: vfio-pci, vendor vfio variants (`mlx5_vfio_pci`), pci-stub.
    static func isDetachedDriver(_ driver: String) -> Bool {
        driver == "vfio-pci" || driver.hasSuffix("_vfio_pci") || driver == "pci-stub"
    }

    /// Runs the check for one VF of `pf`.
    public static func evaluate(_ vf: VirtualFunction, of pf: PhysicalFunction, _ snapshot: ReadinessSnapshot) -> ReadinessCheck {
        let name = vf.pciAddress?.description ?? "\(pf.name) VF \(vf.index)"
        let subject = ReadinessSubject(pf: pf.name, pfAddress: pf.pciAddress, vf: vf.index, vfAddress: vf.pciAddress)
        let link = snapshot.sources.sysfs("bus/pci/devices/\(name)/iommu_group")
        guard let group = vf.iommuGroup else {
            return ReadinessCheck(id: .vfIOMMUGroup, title: title, subject: subject, status: .fail,
                                  observed: "\(link) is missing: the VF has no IOMMU group", sources: [link], why: why,
                                  fix: FixAdvice(summary: "Turn the IOMMU on (see \"\(IOMMUEnabledCheck.title)\").",
                                                 steps: [FixStep("Follow the fix of \"\(IOMMUEnabledCheck.title)\"; every VF then gets a group.")],
                                                 rebootRequired: true))
        }
        let groupDir = snapshot.sources.sysfs("kernel/iommu_groups/\(group)/devices")
        let members = classify(vf: name, pf: pf.pciAddress?.description, devices: vf.iommuGroupDevices, snapshot: snapshot)
        let blocking = members.filter(\.blocksIsolation)
        let bridges = members.filter { $0.role == .bridge }

        var observed = "group \(group) (\(groupDir)): "
        if blocking.isEmpty {
            observed += "only this VF"
            if !bridges.isEmpty { observed += " and bridge\(bridges.count == 1 ? "" : "s") \(bridges.map(\.device).joined(separator: ", ")) (bridges do not count)" }
        } else {
            observed += "shared with " + blocking.map(describe).joined(separator: ", ")
            if !bridges.isEmpty { observed += "; bridge\(bridges.count == 1 ? "" : "s") \(bridges.map(\.device).joined(separator: ", ")) do not count" }
        }
        if let driver = vf.driver, !isDetachedDriver(driver) {
            observed += "; the VF itself is bound to \(driver) (libvirt's managed='yes' detaches it when the guest starts)"
        }
        guard !blocking.isEmpty else {
            return ReadinessCheck(id: .vfIOMMUGroup, title: title, subject: subject, status: .pass,
                                  observed: observed, sources: [link, groupDir], why: why,
                                  groupMembers: members, iommuGroup: group)
        }
        return ReadinessCheck(id: .vfIOMMUGroup, title: title, subject: subject, status: .fail,
                              observed: observed, sources: [link, groupDir], why: why,
                              fix: fix(blocking: blocking, group: group, pf: pf),
                              groupMembers: members, iommuGroup: group)
    }

    static func classify(vf: String, pf: String?, devices: [String], snapshot: ReadinessSnapshot) -> [IOMMUGroupMember] {
        devices.map { device in
            let facts = snapshot.groupDevices[device]
            let role: IOMMUGroupMember.Role
            if device == vf {
                role = .vf
            } else if device == pf {
                role = .ownPF
            } else if facts?.isBridge == true {
                role = .bridge
            } else if let driver = facts?.driver {
                role = isDetachedDriver(driver) ? .vfio : .hostDriver
            } else {
                role = .unbound
            }
            return IOMMUGroupMember(device: device, classCode: facts?.classCode, driver: facts?.driver, role: role)
        }
    }

    static func describe(_ member: IOMMUGroupMember) -> String {
        let cls = member.classCode.map { ", class \($0)" } ?? ""
        switch member.role {
        case .ownPF: return "\(member.device) (its own PF, driver \(member.driver ?? "none"))"
        case .hostDriver: return "\(member.device) (bound to \(member.driver.map { "host driver \($0)" } ?? "a host driver")\(cls))"
        case .vfio: return "\(member.device) (detached, \(member.driver ?? "vfio-pci")\(cls))"
        case .unbound: return "\(member.device) (no driver\(cls))"
        case .vf, .bridge: return member.device
        }
    }

    static func fix(blocking: [IOMMUGroupMember], group: Int, pf: PhysicalFunction) -> FixAdvice {
        let ownPF = blocking.first { $0.role == .ownPF }
        let hostBound = blocking.filter { $0.role == .hostDriver }
        var steps: [FixStep] = []
        if let ownPF {
            // Detaching anything is pointless: the PF has to keep its driver.
            steps.append(FixStep("The VF shares group \(group) with its own PF \(ownPF.device), which must stay on "
                                 + "\(ownPF.driver ?? "its driver"): detaching the PF destroys every VF. Put the adapter in a "
                                 + "slot whose root port supports ACS (Access Control Services), or use an adapter that "
                                 + "gives each VF its own group."))
            return FixAdvice(summary: "The VF cannot be isolated from its PF \(ownPF.device) (same IOMMU group, no ACS).",
                             steps: steps)
        }
        for member in hostBound {
            let nodeDevice = PCIAddress(member.device)?.libvirtNodeDeviceName ?? member.device
            steps.append(FixStep("Detach \(member.device) from \(member.driver ?? "its driver") with libvirt:",
                                 command: "virsh nodedev-detach \(nodeDevice)"))
            steps.append(FixStep("or bind it to vfio-pci permanently with driverctl:",
                                 command: "driverctl set-override \(member.device) vfio-pci"))
        }
        steps.append(FixStep("Every endpoint in group \(group) can then only be used by the guest that gets this VF "
                             + "(or give them all to it). To give VFs to different guests, each needs its own group: "
                             + "put the card in a slot whose root port supports ACS (Access Control Services)."))
        let summary = hostBound.isEmpty
            ? "The VF is not isolated: group \(group) also holds \(blocking.map(\.device).joined(separator: ", "))."
            : "Detach \(hostBound.map(\.device).joined(separator: ", ")) from host drivers, or the guest will not start."
        return FixAdvice(summary: summary, steps: steps)
    }
}
