import SRIOVCore
import Testing

/// attach, provision and doctor must agree on which IOMMU group peers block passthrough.
@Suite("IOMMU group peers")
struct IOMMUGroupPeerTests {
    @Test("Endpoints on host drivers block; vfio-pci, pci-stub and unbound endpoints do not")
    func endpoints() {
        #expect(IOMMUGroupPeer(device: "0000:04:00.0", driver: "e1000e", pciClass: "0x020000").blocksPassthrough)
        #expect(IOMMUGroupPeer(device: "0000:05:00.0", driver: "xhci_hcd", pciClass: "0x0C0330").blocksPassthrough)
        #expect(!IOMMUGroupPeer(device: "0000:04:00.0", driver: "vfio-pci", pciClass: "0x020000").blocksPassthrough)
        #expect(!IOMMUGroupPeer(device: "0000:04:00.0", driver: "pci-stub", pciClass: "0x020000").blocksPassthrough)
        #expect(!IOMMUGroupPeer(device: "0000:04:00.0", driver: nil, pciClass: "0x020000").blocksPassthrough)
    }

    @Test("Root ports, PCI bridges and host bridges never block, whatever their driver or the case of the class")
    func bridges() {
        for pciClass in ["0x060400", "0x060401", "0x060000", "0X060400", "060400"] {
            #expect(!IOMMUGroupPeer(device: "0000:00:1c.0", driver: "pcieport", pciClass: pciClass).blocksPassthrough, "\(pciClass)")
        }
        #expect(!IOMMUGroupPeer.isBridgeClass(nil))
        #expect(!IOMMUGroupPeer.isBridgeClass("0x0604"))
    }

    @Test("doctor's PCI facts use the same bridge test")
    func doctorAgrees() {
        #expect(PCIDeviceFacts(classCode: "0x060000", driver: nil).isBridge)
        #expect(PCIDeviceFacts(classCode: "0x060400", driver: "pcieport").isBridge)
        #expect(!PCIDeviceFacts(classCode: "0x020000", driver: "igb").isBridge)
    }
}
