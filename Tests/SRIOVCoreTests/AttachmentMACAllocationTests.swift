import SRIOVCore
import Testing

@Suite("MAC allocation")
struct AttachmentMACAllocationTests {
    let pool = MACPool(first: mac("02:5a:00:00:00:00"), last: mac("02:5a:00:00:00:05"))

    @Test("the lowest MAC of the pool that nothing uses is allocated")
    func lowestFree() throws {
        var usage = MACUsage()
        usage.leased[mac("02:5a:00:00:00:00")] = "web1"
        usage.quarantined[mac("02:5a:00:00:00:01")] = QuarantinedMAC(mac: mac("02:5a:00:00:00:01"), formerGuest: "old",
                                                                      network: "prod")
        usage.addSeen(mac("02:5a:00:00:00:02"), at: "host interface eth0")
        usage.addSeen(mac("02:5a:00:00:00:03"), at: "eni10np1 VF 2")
        #expect(try MACAllocator.allocate(from: pool, avoiding: usage) == mac("02:5a:00:00:00:04"))
    }

    @Test("a full pool is a clear 'exhausted' error naming the pool")
    func exhausted() {
        var usage = MACUsage()
        for i in 0...5 { usage.leased[MACAddress(integer: 0x02_5a_00_00_00_00 + UInt64(i))] = "g\(i)" }
        #expect {
            try MACAllocator.allocate(from: pool, avoiding: usage)
        } throws: { error in
            let e = error as! SRIOVError
            return e.code == .exhausted && e.message.contains("02:5a:00:00:00:00-02:5a:00:00:00:05")
        }
    }

    @Test("the placeholder 02:00:00:00:00:00 and multicast MACs are never allocated")
    func skipsPlaceholderAndMulticast() throws {
        let wide = MACPool(first: mac("02:00:00:00:00:00"), last: mac("04:00:00:00:00:00"))
        #expect(try MACAllocator.allocate(from: wide, avoiding: MACUsage()) == mac("02:00:00:00:00:01"))
        let crossing = MACPool(first: mac("02:ff:ff:ff:ff:ff"), last: mac("04:00:00:00:00:01"))
        var usage = MACUsage()
        usage.leased[mac("02:ff:ff:ff:ff:ff")] = "a"
        // 03:xx is multicast: the next candidate is 04:00:00:00:00:00.
        #expect(try MACAllocator.allocate(from: crossing, avoiding: usage) == mac("04:00:00:00:00:00"))
    }

    @Test("a reversed or all-multicast pool is a config error")
    func badPools() {
        #expect(throws: SRIOVError.self) {
            try MACAllocator.validate(MACPool(first: mac("02:00:00:00:00:09"), last: mac("02:00:00:00:00:01")))
        }
        #expect(throws: SRIOVError.self) {
            try MACAllocator.validate(MACPool(first: mac("03:00:00:00:00:00"), last: mac("03:00:00:00:00:09")))
        }
    }

    @Test("an explicit MAC is refused when multicast, broadcast, leased, quarantined or in use, naming why")
    func explicitChecks() throws {
        var usage = MACUsage()
        usage.leased[mac("02:5a:00:00:00:10")] = "db1"
        usage.quarantined[mac("02:5a:00:00:00:11")] = QuarantinedMAC(mac: mac("02:5a:00:00:00:11"), formerGuest: "old",
                                                                      network: "prod")
        usage.addSeen(mac("52:54:00:00:00:01"), at: "host interface eth0")
        func message(_ m: String) -> String? {
            do { try MACAllocator.checkExplicit(mac(m), for: "web1", uuid: nil, usage: usage); return nil } catch {
                return error.message
            }
        }
        #expect(message("01:00:5e:00:00:01")?.contains("multicast") == true)
        #expect(message("ff:ff:ff:ff:ff:ff")?.contains("broadcast") == true)
        #expect(message("02:5a:00:00:00:10")?.contains("leased to guest 'db1'") == true)
        #expect(message("02:5a:00:00:00:11")?.contains("quarantined: guest 'old'") == true)
        #expect(message("52:54:00:00:00:01")?.contains("host interface eth0") == true)
        #expect(message("00:00:00:00:00:00") != nil)
        #expect(message("52:54:00:12:34:56") == nil, "a MAC outside the pool is fine when nobody uses it")
        // The former holder of a quarantined MAC may take it back.
        try MACAllocator.checkExplicit(mac("02:5a:00:00:00:11"), for: "old", uuid: nil, usage: usage)
    }
}

@Suite("Guest name rules")
struct AttachmentGuestNameTests {
    @Test("guest names with XML metacharacters, '/', or control characters are refused with the reason",
          arguments: ["web<1>", "a&b", "it's", "x\"y", "../etc", "tab\there", "nul\u{7f}", ""])
    func refused(_ name: String) {
        #expect(throws: SRIOVError.self) { try GuestNameRules.validateGuestName(name) }
    }

    @Test("ordinary libvirt names pass", arguments: ["web1", "db-01.prod", "vm_ü", "Guest With Spaces"])
    func accepted(_ name: String) throws {
        try GuestNameRules.validateGuestName(name)
    }

    @Test("a profile id longer than libvirt's 39 bytes or with XML metacharacters is refused")
    func profile() throws {
        try GuestNameRules.validateProfileID("finance-vlan")
        #expect(throws: SRIOVError.self) { try GuestNameRules.validateProfileID(String(repeating: "p", count: 40)) }
        #expect(throws: SRIOVError.self) { try GuestNameRules.validateProfileID("a'b") }
    }

    @Test("UUIDs are normalized to lower-case dashed form; garbage is refused")
    func uuids() throws {
        #expect(try GuestNameRules.normalizedUUID("6F1C1A2E-0000-4000-8000-0000000000AB") == "6f1c1a2e-0000-4000-8000-0000000000ab")
        #expect(try GuestNameRules.normalizedUUID("6f1c1a2e000040008000000000000001") == "6f1c1a2e-0000-4000-8000-000000000001")
        #expect(throws: SRIOVError.self) { try GuestNameRules.normalizedUUID("not-a-uuid") }
    }
}
