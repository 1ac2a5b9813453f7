extension AttachOutputFormat {
    /// Renders `interface` in this form: the libvirt `<interface type='hostdev'>` XML
    /// (``LibvirtInterfaceXML``) or the Xen `pci = [ … ]` line (``XenPCIConfig``); JSON needs
    /// no rendering and gives `nil`. Throws when the interface has no such form (a VF
    /// without a PCI address has neither).
    public func render(_ interface: GuestInterface) throws(SRIOVError) -> String? {
        switch self {
        case .libvirt: try LibvirtInterfaceXML.render(interface)
        case .xl: try XenPCIConfig.render(interface)
        case .json: nil
        }
    }
}
