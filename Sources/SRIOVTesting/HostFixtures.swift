/// Ready-made sysfs trees modelled on real hosts, for tests of every adapter and command.
public enum HostFixtures {
    /// Intel 82576 dual port (seed 001): PFs 0000:0b:00.0 (eth0) and 0000:0b:00.1 (eth1) on igb,
    /// 7 VFs each on igbvf (netdevs eth2...), VFs at 0b:10.0, 0b:10.2 ... (PF0) and 0b:10.1, 0b:10.3 ... (PF1),
    /// each VF in its own IOMMU group (20 + n).
    public static func intel82576() throws -> SysfsFixture {
        let fx = try SysfsFixture()
        let bridge = try fx.addPCIDevice("0000:00:01.0", vendor: "0x8086", device: "0x0c01", pciClass: "0x060400",
                                         driver: "pcieport")
        var group = 20
        var netdevNumber = 2
        for port in 0..<2 {
            let pf = try fx.addPCIDevice("0000:0b:00.\(port)", parent: bridge, device: "0x10c9", driver: "igb", numaNode: 0)
            try fx.makePF(pf, totalVFs: 7, numVFs: 7)
            try fx.addNetdev("eth\(port)", deviceDir: pf, mac: "00:1b:21:aa:bb:0\(port)")
            try fx.addIOMMUGroup(10 + port, devices: [pf])
            for index in 0..<7 {
                let function = index * 2 + port
                let address = "0000:0b:\(hex2(0x10 + function / 8)).\(function % 8)"
                let vf = try fx.addVF(pfDir: pf, index: index, address: address, driver: "igbvf")
                try fx.addNetdev("eth\(netdevNumber)", deviceDir: vf, operstate: "down")
                netdevNumber += 1
                try fx.addIOMMUGroup(group, devices: [vf])
                group += 1
            }
        }
        return fx
    }

    /// A two-socket host (issue 16): node 0 has CPUs 0-3 and PF 0000:3b:00.0 (ens1f0, ixgbe,
    /// 2 VFs at 3b:10.0-1), node 1 has CPUs 4-7 and PF 0000:af:00.0 (ens2f0, 2 VFs at af:10.0-1);
    /// and a third PF 0000:d8:00.0 (ens3f0, 1 VF) whose `numa_node` is -1 (unknown). One IOMMU
    /// group per VF (60 + n).
    public static func twoNodes() throws -> SysfsFixture {
        let fx = try SysfsFixture()
        try fx.write("devices/system/node/node0/cpulist", "0-3")
        try fx.write("devices/system/node/node1/cpulist", "4-7")
        try fx.write("devices/system/node/possible", "0-1")
        var group = 60
        for (n, (address, netdev, node, vfs)) in [("0000:3b:00.0", "ens1f0", 0, 2), ("0000:af:00.0", "ens2f0", 1, 2),
                                                  ("0000:d8:00.0", "ens3f0", -1, 1)].enumerated() {
            let pf = try fx.addPCIDevice(address, device: "0x10fb", driver: "ixgbe", numaNode: node)
            try fx.makePF(pf, totalVFs: 8, numVFs: vfs)
            try fx.addNetdev(netdev, deviceDir: pf, mac: "00:1b:21:00:0\(n):01")
            let bus = address.split(separator: ":")[1]
            for index in 0..<vfs {
                let vf = try fx.addVF(pfDir: pf, index: index, address: "0000:\(bus):10.\(index)", driver: nil)
                try fx.addIOMMUGroup(group, devices: [vf])
                group += 1
            }
        }
        return fx
    }

    /// A Mellanox ConnectX-5 style PF 0000:3b:00.0 (ens1f0, mlx5_core) with 4 VFs: VFs 0-1 on
    /// mlx5_core with netdevs, VFs 2-3 on vfio-pci (no netdev); one IOMMU group per VF (40 + n).
    public static func mellanoxSplit() throws -> SysfsFixture {
        let fx = try SysfsFixture()
        let pf = try fx.addPCIDevice("0000:3b:00.0", vendor: "0x15b3", device: "0x1017", driver: "mlx5_core", numaNode: 1)
        try fx.makePF(pf, totalVFs: 8, numVFs: 4)
        try fx.addNetdev("ens1f0", deviceDir: pf, mac: "b8:59:9f:00:00:01")
        try fx.addIOMMUGroup(39, devices: [pf])
        for index in 0..<4 {
            let vf = try fx.addVF(pfDir: pf, index: index, address: "0000:3b:00.\(index + 2)", vendor: "0x15b3",
                                  device: "0x1018", driver: index < 2 ? "mlx5_core" : "vfio-pci")
            if index < 2 { try fx.addNetdev("ens1f0v\(index)", deviceDir: vf) }
            try fx.addIOMMUGroup(40 + index, devices: [vf])
        }
        return fx
    }

    /// The IOMMU group of seed 000: group 8 holds root ports 00:1c.0 and 00:1c.4 and endpoints
    /// 04:00.0 (an 82574L NIC bound to e1000e, netdev eno1) and 05:00.0. Here 04:00.0 is also
    /// given SR-IOV with one VF 0000:04:10.0 that shares the group.
    public static func sharedIOMMUGroup() throws -> SysfsFixture {
        let fx = try SysfsFixture()
        let rp0 = try fx.addPCIDevice("0000:00:1c.0", device: "0x1c10", pciClass: "0x060400", driver: "pcieport")
        let rp4 = try fx.addPCIDevice("0000:00:1c.4", device: "0x1c18", pciClass: "0x060400", driver: "pcieport")
        let nic = try fx.addPCIDevice("0000:04:00.0", parent: rp0, device: "0x10d3", driver: "e1000e")
        try fx.makePF(nic, totalVFs: 2, numVFs: 1)
        try fx.addNetdev("eno1", deviceDir: nic, mac: "00:1b:21:00:00:04")
        let vf = try fx.addVF(pfDir: nic, index: 0, address: "0000:04:10.0", driver: nil)
        let other = try fx.addPCIDevice("0000:05:00.0", parent: rp4, device: "0x8c31", pciClass: "0x0c0330",
                                        driver: "xhci_hcd")
        try fx.addIOMMUGroup(8, devices: [rp0, rp4, nic, other, vf])
        return fx
    }

    /// A legacy igb host (82576 dual port, the driver built without `sriov_configure`):
    /// PFs 0000:0b:00.0 (eth0) and 0000:0b:00.1 (eth1), `sriov_totalvfs` 7, no VFs, driver
    /// `igb` from module `igb`. VFs come from the `max_vfs` module parameter. With
    /// `numVFsAttribute: false` the PFs have no `sriov_numvfs` at all, so writing it fails
    /// with ENOENT as the kernel answers for such drivers.
    public static func igbLegacy(numVFsAttribute: Bool = true) throws -> SysfsFixture {
        let fx = try SysfsFixture()
        try fx.addDriver("igb", module: "igb")
        for port in 0..<2 {
            let pf = try fx.addPCIDevice("0000:0b:00.\(port)", device: "0x10c9", driver: "igb", numaNode: 0)
            try fx.makePF(pf, totalVFs: 7, numVFs: 0)
            if !numVFsAttribute { try fx.remove("\(pf)/sriov_numvfs") }
            try fx.addNetdev("eth\(port)", deviceDir: pf, mac: "00:1b:21:aa:bb:0\(port)")
        }
        return fx
    }

    /// A netdevsim device `netdevsim10` with port netdev `eni10np1` and 4 VFs (no PCI, no IOMMU).
    public static func netdevsim(numVFs: Int = 4) throws -> SysfsFixture {
        let fx = try SysfsFixture()
        try fx.addNetdevsim(id: 10, netdev: "eni10np1", numVFs: numVFs)
        return fx
    }

    private static func hex2(_ value: Int) -> String {
        let digits = String(value, radix: 16)
        return digits.count < 2 ? "0" + digits : digits
    }
}
