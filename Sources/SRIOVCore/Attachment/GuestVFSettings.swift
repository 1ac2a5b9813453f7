/// The settings a guest's VF gets: the network's defaults, then the attach options, with
/// the lease's MAC. Unspecified trust is off and unspecified spoof checking is on, so a
/// VF never keeps a previous guest's trust; the VLAN is always set (VLAN 0 when none) so
/// a leftover tag never carries over.
public enum GuestVFSettings {
    /// Desired settings for `request` on `network` with MAC `mac`.
    ///
    /// Throws when the network's VLAN would be combined with `--virtualport`.
    public static func desired(for request: AttachRequest, network: NetworkDefinition,
                               mac: MACAddress) throws(SRIOVError) -> VFSettings {
        var settings = network.vfDefaults
        settings.mac = mac
        if request.virtualPort != nil {
            if let vlan = network.vlan ?? network.vfDefaults.vlan, vlan != .none {
                throw SRIOVError(.invalidValue, "network '\(network.name)' sets VLAN \(vlan), which cannot be "
                                 + "combined with --virtualport (libvirt refuses <vlan> with <virtualport>)")
            }
            settings.vlan = PortVLAN.none
        } else {
            settings.vlan = request.settings.vlan ?? network.vlan ?? network.vfDefaults.vlan ?? PortVLAN.none
        }
        settings.trust = request.settings.trust ?? settings.trust ?? false
        settings.spoofCheck = request.settings.spoofCheck ?? settings.spoofCheck ?? true
        settings.linkState = request.settings.linkState ?? settings.linkState
        settings.minTxRate = request.settings.minTxRate ?? settings.minTxRate
        settings.maxTxRate = request.settings.maxTxRate ?? settings.maxTxRate
        return settings
    }

    /// The libvirt/Xen interface for settings on a VF.
    public static func interface(settings: VFSettings, vfPCIAddress: PCIAddress?,
                                 virtualPort: VirtualPort?) -> GuestInterface {
        let vlan = settings.vlan.flatMap { $0 == .none ? nil : $0 }
        return GuestInterface(mac: settings.mac ?? .zero, vfPCIAddress: vfPCIAddress, vlan: vlan,
                              virtualPort: virtualPort)
    }
}
