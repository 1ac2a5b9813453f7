import Glibc
import SRIOVTesting
import SRIOVCore
import Testing
@testable import SRIOVLinux

/// Programming VFs against a fake kernel that applies requests the way do_setvfinfo()
/// does: what the user sees in the report, and what is (not) sent.
@Suite("Netlink VF programming")
struct NetlinkApplyTests {
    @Test("Many VFs go in one RTM_SETLINK, and every setting lands")
    func batchOneRequest() throws {
        let kernel = FakeKernel(vfCount: 256)
        let control = RTNetlinkVFControl.over(kernel)
        let changes = (0..<256).map {
            VFChange(index: $0, settings: VFSettings(mac: MACAddress(integer: 0x0200_0000_1000 + UInt64($0)),
                                                     vlan: PortVLAN(id: 10 + $0), spoofCheck: false, trust: true))
        }
        let report = control.apply(changes, on: "eth3")
        #expect(report.succeeded)
        #expect(report.requests == 1)
        #expect(kernel.setRequests.count == 1)
        #expect(report.outcomes.allSatisfy { $0.applied == ["mac", "vlan", "spoofchk", "trust"] })
        let status = try control.readPF("eth3")
        #expect(status.vfs.count == 256)
        #expect(status.vf(255)?.mac == MACAddress(integer: 0x0200_0000_1000 + 255))
        #expect(status.vf(255)?.vlan.id == 265)
        #expect(status.vf(7)?.trust == true && status.vf(7)?.spoofCheck == false)
    }

    @Test("A batch too large for one request is split, never truncated")
    func batchSplit() throws {
        let kernel = FakeKernel(vfCount: 256)
        let control = RTNetlinkVFControl.over(kernel, budget: 2_000)
        let changes = (0..<256).map { VFChange(index: $0, settings: VFSettings(vlan: PortVLAN(id: 5))) }
        let report = control.apply(changes, on: "eth3")
        #expect(report.succeeded)
        #expect(report.requests == kernel.setRequests.count)
        #expect(report.requests > 1)
        #expect(kernel.vfs.allSatisfy { $0.vlan == 5 })
    }

    @Test("A VF index past the PF's VF count is refused before anything is sent")
    func noSuchVF() {
        let kernel = FakeKernel(vfCount: 8)
        let report = RTNetlinkVFControl.over(kernel).apply([VFChange(index: 9, settings: VFSettings(trust: true))],
                                                           on: "eth3")
        #expect(report.outcomes.first?.error?.message == "eth3 VF 9: no such VF (PF has 8 VFs)")
        #expect(report.outcomes.first?.error?.code == .notFound)
        #expect(kernel.setRequests.isEmpty)
    }

    @Test("An unsupported operation names the driver and the operation, and earlier settings are reported applied")
    func notSupported() throws {
        let kernel = FakeKernel(vfCount: 4)
        kernel.unsupported = [RTNL.vfRate]
        let sysfs = try HostFixtures.netdevsim()
        kernel.name = "eni10np1"
        let control = RTNetlinkVFControl.over(kernel, sysfs: SysfsTree(root: sysfs.root))
        let settings = VFSettings(mac: MACAddress("02:00:00:00:00:22"), maxTxRate: 100)
        let report = control.apply([VFChange(index: 2, settings: settings)], on: "eni10np1")
        let outcome = report.outcomes[0]
        #expect(outcome.error?.message == "eni10np1 VF 2: driver netdevsim does not support setting the TX rate")
        #expect(outcome.error?.code == .notSupported)
        #expect(outcome.applied == ["mac"])
        #expect(kernel.vfs[2].mac == [2, 0, 0, 0, 0, 0x22])
    }

    @Test("One failing VF in a batch is named; the others are applied")
    func batchFallback() {
        let kernel = FakeKernel(vfCount: 4)
        kernel.refusesBatches = true
        kernel.unsupported = [RTNL.vfTrust]
        let changes = [
            VFChange(index: 0, settings: VFSettings(vlan: PortVLAN(id: 7))),
            VFChange(index: 1, settings: VFSettings(vlan: PortVLAN(id: 8), trust: true)),
            VFChange(index: 2, settings: VFSettings(vlan: PortVLAN(id: 9))),
        ]
        let report = RTNetlinkVFControl.over(kernel).apply(changes, on: "eth3")
        #expect(report.outcomes.map { $0.error == nil } == [true, false, true])
        #expect(report.outcomes[1].applied == ["vlan"])
        #expect(report.outcomes[1].error?.message == "eth3 VF 1: the driver of eth3 does not support setting trust")
        #expect(kernel.vfs.map(\.vlan) == [7, 8, 9, 0])
    }

    @Test("A driver that refuses the zero MAC gets 02:00:00:00:00:00, as libvirt does, and the report says so")
    func zeroMAC() {
        let kernel = FakeKernel(vfCount: 2)
        kernel.refusesZeroMAC = true
        kernel.vfs[1].mac = [2, 1, 2, 3, 4, 5]
        let report = RTNetlinkVFControl.over(kernel).apply([VFChange(index: 1, settings: .reset)], on: "eth3")
        let outcome = report.outcomes[0]
        #expect(outcome.error == nil)
        #expect(outcome.notes == ["driver refused the zero MAC; used 02:00:00:00:00:00 as libvirt does"])
        #expect(outcome.applied == ["mac", "vlan", "spoofchk", "linkState", "trust"])
        #expect(kernel.vfs[1].mac == [2, 0, 0, 0, 0, 0])
    }

    @Test("A PF that is gone: 'no such network interface', nothing else tried")
    func pfGone() {
        let kernel = FakeKernel(vfCount: 2)
        kernel.present = false
        let report = RTNetlinkVFControl.over(kernel).apply([VFChange(index: 0, settings: VFSettings(trust: true))],
                                                           on: "eth3")
        #expect(report.outcomes[0].error?.message == "eth3: no such network interface")
        #expect(throws: SRIOVError(.notFound, "eth3: no such network interface", errno: ENODEV)) {
            try RTNetlinkVFControl.over(kernel).readPF("eth3")
        }
    }

    @Test("A PF that vanishes during the VF-by-VF retry: the rest get ENODEV without another request")
    func pfVanishesMidway() {
        let kernel = FakeKernel(vfCount: 4)
        kernel.refusesBatches = true          // the batch is refused, so the applier goes VF by VF
        kernel.vanishesAfterSetRequests = 1   // ... and the PF is gone by the first VF's request
        let changes = (0..<4).map { VFChange(index: $0, settings: VFSettings(trust: true)) }
        let report = RTNetlinkVFControl.over(kernel).apply(changes, on: "eth3")
        #expect(report.outcomes.map { $0.error?.errno } == [ENODEV, ENODEV, ENODEV, ENODEV])
        #expect(report.outcomes.allSatisfy { $0.error?.message == "eth3: no such network interface" })
        #expect(kernel.setRequests.count == 2, "the batch and VF 0's request; VFs 1-3 are not tried")
    }

    @Test("Setting only the min rate keeps the max the VF already has")
    func rateReadModifyWrite() {
        let kernel = FakeKernel(vfCount: 2)
        kernel.vfs[0].maxRate = 1000
        let report = RTNetlinkVFControl.over(kernel).apply([VFChange(index: 0, settings: VFSettings(minTxRate: 200))],
                                                           on: "eth3")
        #expect(report.succeeded)
        #expect(kernel.vfs[0].minRate == 200 && kernel.vfs[0].maxRate == 1000)
    }

    @Test("Invalid values are refused without a request (multicast MAC, VLAN 4096, QoS 8)")
    func invalidValues() {
        let kernel = FakeKernel(vfCount: 2)
        let report = RTNetlinkVFControl.over(kernel).apply([
            VFChange(index: 0, settings: VFSettings(mac: MACAddress("01:00:5e:00:00:01"))),
            VFChange(index: 1, settings: VFSettings(vlan: PortVLAN(id: 4096))),
            VFChange(index: 1, settings: VFSettings(vlan: PortVLAN(id: 5, qos: 8))),
        ], on: "eth3")
        #expect(report.outcomes.allSatisfy { $0.error?.code == .invalidValue })
        #expect(kernel.setRequests.isEmpty)
    }

    @Test("The kernel's extended ACK message reaches the user")
    func extAck() throws {
        let message = try #require(NetlinkMessage(bytes: KernelReply.error(EINVAL, extAck: "VF 3 is resetting")))
        #expect(message.type == RTNL.messageError)
        let (code, text) = try message.withHeader { (header) throws(SRIOVError) in RouteSocket.errorCode(header) }
        #expect(code == EINVAL && text == "VF 3 is resetting")
        let ack = try #require(NetlinkMessage(bytes: KernelReply.error(0)))
        let (ackCode, ackText) = try ack.withHeader { (header) throws(SRIOVError) in RouteSocket.errorCode(header) }
        #expect(ackCode == 0 && ackText == nil)
        let failure = NetlinkFailure(errno: EINVAL, extAck: "VF 3 is resetting")
        let error = VFErrorMessages.error(failure, .init(pf: "eth3", vf: 3, driver: "driver i40e", numVFs: 8,
                                                         attribute: .mac, action: ""))
        #expect(error.message == "eth3 VF 3: driver i40e refused setting the MAC (invalid argument) (kernel: VF 3 is resetting)")
    }
}

