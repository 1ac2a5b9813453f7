import SRIOVCore
import SRIOVLinux

/// Reads the three sources `audit` compares into one ``AuditInput``: sysfs + netlink (PFs,
/// VFs, host interface MACs), the state database, and libvirt.
///
/// What cannot be read becomes a notice and the rules that need it are skipped (a PF whose
/// VFs netlink cannot report, an unreachable libvirt, a missing config). Only an unreadable
/// database stops the audit: without it every VF would look free.
struct AuditSnapshotCollector {
    /// The database's records, as the audit needs them.
    struct DatabaseRecords {
        var leases: [LeaseRecord] = []
        var assignments: [AuditAssignment] = []
        var quarantine: [QuarantinedMAC] = []
        /// Recorded UUIDs by guest name.
        var guestUUIDs: [String: String] = [:]
        var notices: [String] = []
    }

    var hostName: String
    var discovery: any HostDiscovering
    /// Reads live VF state; `nil` with `--no-netlink`.
    var linkControl: (any VFLinkControlling)?
    /// Host interface MACs.
    var hostDevices: any HostDeviceInspecting
    /// Which interfaces are stacked on which.
    var stacking: SysfsInterfaceStacking
    /// Reads the database given the discovered PFs (to name the database's PFs as the host does).
    var readDatabase: (HostInventory) throws(SRIOVError) -> DatabaseRecords
    /// The MAC pool and a notice about where it came from.
    var macPool: () -> (pool: MACPool?, notice: String?)
    /// Lists guests; `nil` when libvirt is not to be asked.
    var listGuests: (() throws(SRIOVError) -> [GuestDefinition])?
    /// The libvirt URI, for messages and suggested commands.
    var libvirtURI: String?

    func collect() throws(SRIOVError) -> AuditInput {
        var notices: [String] = []
        let inventory = discovery.discover()
        notices += inventory.warnings.map { "sysfs: \($0)" }

        var pfs: [AuditPF] = []
        var vfByNetdev: [String: AuditVFID] = [:]
        for pf in inventory.pfs {
            var status: PFLinkStatus?
            var readError: String?
            if linkControl == nil {
                readError = "not read (--no-netlink)"
            } else if let linkControl, let netdev = pf.netdev {
                do {
                    status = try linkControl.readPF(netdev)
                } catch {
                    readError = error.message
                    notices.append("\(pf.name): live VF settings not read (\(error.message)); its VFs are not checked")
                }
            } else if !pf.vfs.isEmpty {
                readError = "no network interface, so no VF settings over netlink"
            }
            let vfs = pf.vfs.map { vf in
                AuditVF(index: vf.index, pciAddress: vf.pciAddress, live: status?.vf(vf.index))
            }
            for vf in pf.vfs {
                if let netdev = vf.netdev { vfByNetdev[netdev] = AuditVFID(pf: pf.name, index: vf.index) }
            }
            pfs.append(AuditPF(name: pf.name, pciAddress: pf.pciAddress, operState: status?.operState ?? pf.linkState,
                               vfs: vfs, readError: readError))
        }

        if linkControl == nil && !inventory.pfs.isEmpty {
            notices.append("netlink: not read (--no-netlink); drift and stale checks skipped")
        }
        let database = try readDatabase(inventory)
        notices += database.notices
        let pool = macPool()
        if let notice = pool.notice { notices.append(notice) }

        var guests: [GuestDefinition]?
        if let listGuests {
            do {
                guests = try listGuests()
            } catch {
                notices.append("libvirt: \(libvirtURI ?? "default URI") not reachable (\(error.message)); "
                               + "orphan and mismatch checks skipped")
            }
        } else {
            notices.append("libvirt: not checked (--no-libvirt); orphan and mismatch checks skipped")
        }

        return AuditInput(hostName: hostName, leases: database.leases, assignments: database.assignments,
                          quarantine: database.quarantine, macPool: pool.pool, pfs: pfs,
                          hostInterfaces: hostInterfaces(vfByNetdev: vfByNetdev), guests: guests,
                          guestUUIDs: database.guestUUIDs, libvirtURI: libvirtURI, notices: notices)
    }

    /// Host interfaces with the VF each belongs to: a VF's own netdev, or an interface stacked
    /// (VLAN, macvlan, bond...) on one, however deep.
    private func hostInterfaces(vfByNetdev: [String: AuditVFID]) -> [AuditHostInterface] {
        let lowers = stacking.lowerInterfaces()
        func owningVF(_ name: String, depth: Int = 0) -> AuditVFID? {
            if let vf = vfByNetdev[name] { return vf }
            guard depth < 8 else { return nil }
            for lower in lowers[name] ?? [] {
                if let vf = owningVF(lower, depth: depth + 1) { return vf }
            }
            return nil
        }
        return hostDevices.interfaceMACs().sorted { $0.key < $1.key }.map {
            AuditHostInterface(name: $0.key, mac: $0.value, vf: owningVF($0.key))
        }
    }
}
