/// Renders a guest's VF as libvirt's `<interface type='hostdev' managed='yes'>` device XML.
///
/// The result is what `sriovctl attach` prints and hands to `virDomainAttachDeviceFlags`:
/// ```
/// <interface type='hostdev' managed='yes'>
///   <mac address='52:54:00:6d:90:02'/>
///   <source>
///     <address type='pci' domain='0x0000' bus='0x0b' slot='0x10' function='0x0'/>
///   </source>
///   <vlan>
///     <tag id='42'/>
///   </vlan>
/// </interface>
/// ```
/// What libvirt does with it (libvirt 9.0): at guest start it sets the VF's admin MAC and
/// VLAN id through the PF and restores the old ones when the guest stops. It cannot express
/// VLAN QoS or the 802.1ad protocol, so only `<tag id>` is rendered for those and sriovctl
/// programs QoS and protocol itself (docs/libvirt.md). Only `<virtualport type='802.1Qbh'>`
/// works on hostdev interfaces, never together with `<vlan>`; trunks are not rendered.
public enum LibvirtInterfaceXML {
    /// The longest 802.1Qbh profile id libvirt accepts (its schema's `maxLength`).
    public static let maxProfileIDLength = 39

    /// The device XML for `interface`, two-space indented, ending with a newline.
    ///
    /// Validates first (``validate(_:)``) and escapes every attribute value. Throws
    /// `.notSupported` for a VF without a PCI address and `.invalidValue` for a bad MAC,
    /// VLAN or profile id, or a VLAN together with a virtual port.
    public static func render(_ interface: GuestInterface) throws(SRIOVError) -> String {
        try validate(interface)
        // validate() guarantees a PCI address.
        guard let pci = interface.vfPCIAddress else { throw noPCIAddress(interface) }
        let a = XMLEscaping.attribute
        var xml = "<interface type='hostdev' managed='yes'>\n"
        xml += "  <mac address='\(a(interface.mac.description))'/>\n"
        xml += "  <source>\n"
        xml += "    <address type='pci' domain='0x\(a(hex(pci.domain, 4)))' bus='0x\(a(hex(pci.bus, 2)))'"
        xml += " slot='0x\(a(hex(pci.slot, 2)))' function='0x\(a(hex(pci.function, 1)))'/>\n"
        xml += "  </source>\n"
        if let vlan = interface.vlan, vlan.id != 0 {
            xml += "  <vlan>\n"
            xml += "    <tag id='\(a(String(vlan.id)))'/>\n"
            xml += "  </vlan>\n"
        }
        if let port = interface.virtualPort {
            xml += "  <virtualport type='802.1Qbh'>\n"
            xml += "    <parameters profileid='\(a(port.profileID))'/>\n"
            xml += "  </virtualport>\n"
        }
        xml += "</interface>\n"
        return xml
    }

    /// Checks that `interface` can be rendered and passed through, without rendering it.
    ///
    /// Call it before recording an attachment so bad input changes nothing. Rules: the VF has a
    /// PCI address; the MAC is unicast and not zero; VLAN id 0...4095, QoS 0...7, 802.1ad only
    /// with an id; a VLAN (id or QoS set) and a virtual port are not both given; the profile id
    /// is 1...39 bytes without XML metacharacters (`& < > ' "`) or control characters.
    public static func validate(_ interface: GuestInterface) throws(SRIOVError) {
        let who = subject(interface)
        guard interface.vfPCIAddress != nil else { throw noPCIAddress(interface) }
        let mac = interface.mac
        if mac.isZero {
            throw SRIOVError(.invalidValue, "\(who): MAC \(mac) is the zero address; a guest interface needs a unicast MAC")
        }
        if mac.isMulticast {
            throw SRIOVError(.invalidValue,
                             "\(who): MAC \(mac) is multicast (first octet is odd); a guest interface needs a unicast MAC")
        }
        var setVLAN: PortVLAN?
        if let vlan = interface.vlan {
            if !(0...4095).contains(vlan.id) {
                throw SRIOVError(.invalidValue, "\(who): VLAN \(vlan.id) is out of range (0-4095)")
            }
            if !(0...7).contains(vlan.qos) {
                throw SRIOVError(.invalidValue, "\(who): VLAN QoS \(vlan.qos) is out of range (0-7)")
            }
            if vlan.proto == .ieee8021AD && vlan.id == 0 {
                throw SRIOVError(.invalidValue, "\(who): 802.1ad needs a VLAN id (VLAN 0 cannot be an 802.1ad tag)")
            }
            if vlan.id != 0 || vlan.qos != 0 { setVLAN = vlan }
        }
        if let port = interface.virtualPort {
            if let setVLAN {
                throw SRIOVError(.invalidValue,
                                 "\(who): a VLAN (\(setVLAN)) and an 802.1Qbh virtual port ('\(printable(port.profileID))') cannot be combined; libvirt refuses <vlan> with <virtualport> on a hostdev interface (the port profile sets the VLAN)")
            }
            try validateProfileID(port.profileID, subject: who)
        }
    }

    /// Checks an 802.1Qbh profile id: 1...39 bytes, no XML metacharacters, no control characters,
    /// no code point XML cannot hold (U+FFFE, U+FFFF).
    public static func validateProfileID(_ profileID: String, subject: String) throws(SRIOVError) {
        if profileID.isEmpty {
            throw SRIOVError(.invalidValue, "\(subject): the 802.1Qbh profile id is empty")
        }
        if let bad = XMLEscaping.firstUnsafeCharacter(in: profileID) {
            throw SRIOVError(.invalidValue,
                             "\(subject): 802.1Qbh profile id '\(printable(profileID))' contains \(XMLEscaping.describe(bad)); profile ids may not contain XML metacharacters (& < > ' \"), control characters or U+FFFE/U+FFFF")
        }
        if profileID.utf8.count > maxProfileIDLength {
            throw SRIOVError(.invalidValue,
                             "\(subject): 802.1Qbh profile id '\(printable(profileID))' is \(profileID.utf8.count) bytes long; libvirt accepts at most \(maxProfileIDLength)")
        }
    }

    /// `VF 0000:0b:10.0`, or `interface 52:54:00:6d:90:02` when the VF has no PCI address.
    static func subject(_ interface: GuestInterface) -> String {
        interface.vfPCIAddress.map { "VF \($0)" } ?? "interface \(interface.mac)"
    }

    static func noPCIAddress(_ interface: GuestInterface) -> SRIOVError {
        SRIOVError(.notSupported,
                   "interface \(interface.mac): the VF has no PCI address (a netdevsim or other non-PCI VF) and cannot be passed through to a guest")
    }

    /// `value` with control characters and XML-illegal code points shown as `\u{..}`, for error messages.
    static func printable(_ value: String) -> String {
        TextRules.escaped(value)
    }
}
