import Foundation
import Glibc
import SRIOVCore
import SRIOVLinux
import SRIOVTesting
import Testing

/// The agent's kernel event parsers, from byte fixtures laid out as the kernel sends them
/// (linux 6.1 `rtnl_fill_ifinfo`, `kobject_uevent_env`), and the systemd notifier on a real socket.
@Suite("Agent kernel events")
struct AgentEventParsingTests {
    // MARK: rtnetlink

    /// One rtnetlink link message: nlmsghdr, ifinfomsg, then the attributes given.
    static func linkMessage(type: UInt16, change: UInt32 = 0, attributes: [(UInt16, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        body += [0, 0] + le16(1)                 // ifi_family AF_UNSPEC, pad, ifi_type ARPHRD_ETHER
        body += le32(7) + le32(0x1043)           // ifi_index 7, ifi_flags UP|BROADCAST|RUNNING|MULTICAST
        body += le32(change)                     // ifi_change
        for (type, value) in attributes {
            var attribute = le16(UInt16(4 + value.count)) + le16(type) + value
            while attribute.count % 4 != 0 { attribute.append(0) }
            body += attribute
        }
        return le32(UInt32(16 + body.count)) + le16(type) + le16(0) + le32(0) + le32(0) + body
    }

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
    static func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xff) } }
    static func name(_ text: String) -> (UInt16, [UInt8]) { (3, Array(text.utf8) + [0]) }

    @Test("RTM_NEWLINK and RTM_DELLINK name the interface; a registration (ifi_change ~0) is an addition")
    func linkMessages() {
        let datagram = Self.linkMessage(type: 16, attributes: [(4, Self.le32(1500)), Self.name("eth0")])
            + Self.linkMessage(type: 16, change: 0xffff_ffff, attributes: [Self.name("eth1")])
            + Self.linkMessage(type: 17, attributes: [Self.name("eth2")])
        let result = LinkNotificationParser.parse(datagram)
        #expect(result.malformed == 0)
        #expect(result.events == [PFEvent(subject: .netdev("eth0"), change: .changed),
                                  PFEvent(subject: .netdev("eth1"), change: .added),
                                  PFEvent(subject: .netdev("eth2"), change: .removed)])
    }

    @Test("Lengths that run past the datagram, short ifinfomsg and bad names are refused, never read past the end")
    func malformedLinkMessages() {
        let good = Self.linkMessage(type: 16, attributes: [Self.name("eth0")])
        var longLength = good
        longLength[0] = UInt8(good.count + 8)
        #expect(LinkNotificationParser.parse(longLength).events.isEmpty)
        #expect(LinkNotificationParser.parse(longLength).malformed == 1)

        var attributeOverrun = good
        attributeOverrun[32] = 200                                   // IFLA_IFNAME's rta_len
        #expect(LinkNotificationParser.parse(attributeOverrun) == .init(events: [], malformed: 1))

        let shortBody = Self.le32(20) + Self.le16(16) + Self.le16(0) + Self.le32(0) + Self.le32(0) + [0, 0, 0, 0]
        #expect(LinkNotificationParser.parse(shortBody) == .init(events: [], malformed: 1))

        let slash = Self.linkMessage(type: 16, attributes: [Self.name("../etc")])
        #expect(LinkNotificationParser.parse(slash).malformed == 1)
        let tooLong = Self.linkMessage(type: 16, attributes: [Self.name(String(repeating: "e", count: 20))])
        #expect(LinkNotificationParser.parse(tooLong).malformed == 1)

        #expect(LinkNotificationParser.parse(Array(good.prefix(10))).malformed == 1)
        #expect(LinkNotificationParser.parse([]) == .init())
        // Every truncation of a good datagram parses without a crash.
        for n in 0...good.count { _ = LinkNotificationParser.parse(Array(good.prefix(n))) }
    }

    @Test("Messages of other types (a route, NLMSG_DONE) are skipped")
    func otherTypes() {
        let route = Self.le32(28) + Self.le16(24) + Self.le16(0) + Self.le32(0) + Self.le32(0) + [UInt8](repeating: 0, count: 12)
        let result = LinkNotificationParser.parse(route + Self.linkMessage(type: 16, attributes: [Self.name("eth0")]))
        #expect(result == .init(events: [PFEvent(subject: .netdev("eth0"), change: .changed)], malformed: 0))
    }

    // MARK: uevents

    static func uevent(_ header: String, _ pairs: [String]) -> [UInt8] {
        ([header] + pairs).flatMap { Array($0.utf8) + [0] }
    }

    @Test("PCI add/remove/bind/unbind, net add and netdevsim device uevents map to PF events")
    func uevents() throws {
        let vf = try #require(PCIAddress("0000:01:00.2"))
        let add = Self.uevent("add@/devices/pci0000:00/0000:00:01.0/0000:01:00.2",
                              ["ACTION=add", "DEVPATH=/devices/pci0000:00/0000:00:01.0/0000:01:00.2", "SUBSYSTEM=pci",
                               "PCI_CLASS=10802", "PCI_SLOT_NAME=0000:01:00.2", "SEQNUM=1234"])
        #expect(UeventParser.parse(add).event == PFEvent(subject: .pci(vf), change: .added))
        let unbind = Self.uevent("unbind@/devices/x", ["ACTION=unbind", "SUBSYSTEM=pci", "PCI_SLOT_NAME=0000:01:00.2", "DRIVER=nvme"])
        #expect(UeventParser.parse(unbind).event == PFEvent(subject: .pci(vf), change: .driverUnbound))
        let net = Self.uevent("add@/devices/netdevsim1/net/eth0", ["ACTION=add", "SUBSYSTEM=net", "INTERFACE=eth0", "IFINDEX=5"])
        #expect(UeventParser.parse(net).event == PFEvent(subject: .netdev("eth0"), change: .added))
        let sim = Self.uevent("remove@/devices/netdevsim22", ["ACTION=remove", "SUBSYSTEM=netdevsim"])
        #expect(UeventParser.parse(sim).event == PFEvent(subject: .everyPF, change: .removed))
        let block = Self.uevent("add@/devices/virtual/block/loop0", ["ACTION=add", "SUBSYSTEM=block"])
        #expect(UeventParser.parse(block).event == nil)
        #expect(UeventParser.parse(block).malformed == false)
    }

    @Test("udev's messages, missing keys, bad addresses and oversized datagrams are refused")
    func badUevents() {
        #expect(UeventParser.parse(Array("libudev\0\u{fe}\u{ed}".utf8)).event == nil)
        #expect(UeventParser.parse(Self.uevent("add@/x", ["ACTION=add"])).malformed)
        #expect(UeventParser.parse(Self.uevent("add@/x", ["ACTION=add", "SUBSYSTEM=pci", "PCI_SLOT_NAME=zz"])).malformed)
        #expect(UeventParser.parse(Self.uevent("no header", ["ACTION=add", "SUBSYSTEM=pci"])).malformed)
        #expect(UeventParser.parse([UInt8](repeating: 65, count: 10_000)).malformed)
        #expect(UeventParser.parse(Self.uevent("add@/x", ["ACTION=add", "SUBSYSTEM=net", "INTERFACE=a/b"])).malformed)
        #expect(UeventParser.parse([0xff, 0x40, 0, 0xff, 0xfe, 0x3d, 0]).malformed)
    }

    @Test("Every input of the FuzzKernelEvents corpus parses without a crash; the seeds give their events")
    func fuzzCorpus() {
        let inputs = FuzzCorpus.inputs("FuzzKernelEvents")
        #expect(inputs.count >= 4)
        var events = 0
        for input in inputs where !input.bytes.isEmpty {
            let datagram = Array(input.bytes.dropFirst())
            if input.bytes[0] % 2 == 0 {
                events += LinkNotificationParser.parse(datagram).events.count
            } else {
                events += UeventParser.parse(datagram).event == nil ? 0 : 1
            }
        }
        #expect(events >= 6)
    }

    // MARK: systemd

    @Test("READY=1 reaches a unix datagram socket named by NOTIFY_SOCKET, by path and by abstract @name")
    func notifier() throws {
        for abstract in [false, true] {
            let name = abstract ? "@sriovctl-test-\(getpid())" : NSTemporaryDirectory() + "sriovctl-notify-\(getpid())"
            let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            #expect(fd >= 0)
            defer { close(fd); if !abstract { unlink(name) } }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            var bytes = Array(name.utf8)
            if abstract { bytes[0] = 0 }
            withUnsafeMutableBytes(of: &address.sun_path) { raw in for (i, b) in bytes.enumerated() { raw[i] = b } }
            let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
            let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
            try #require(bound == 0)

            let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": name, "WATCHDOG_USEC": "4000000"])
            #expect(notifier.watchdogIntervalMilliseconds == 2000)
            #expect(notifier.notify("READY=1") == nil)
            var buffer = [UInt8](repeating: 0, count: 64)
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            #expect(count == 7)
            #expect(String(decoding: buffer.prefix(max(0, count)), as: UTF8.self) == "READY=1")
        }
    }

    @Test("Without NOTIFY_SOCKET nothing is sent; a watchdog meant for another process is off")
    func notifierOff() {
        #expect(SystemdNotifier(environment: [:]).notify("READY=1") == nil)
        #expect(SystemdNotifier(environment: ["WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "1"]).watchdogIntervalMilliseconds == nil)
        #expect(SystemdNotifier(environment: ["NOTIFY_SOCKET": "relative"]).notify("READY=1") != nil)
    }
}
