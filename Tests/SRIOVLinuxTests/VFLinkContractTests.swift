import Foundation
import Glibc
import SRIOVCore
import SRIOVTesting
import Testing
@testable import SRIOVLinux

/// The VF programming contract (Tests/Contract/vf-link-cases.json), run against the
/// in-memory fake every core test uses and against the netlink adapter over a byte-level
/// kernel. The lab runs the cases marked `lab` against netdevsim with iproute2 as the
/// oracle, so a fake that differs from the kernel fails a test somewhere.
@Suite("VF programming contract: fake and adapter")
struct VFLinkContractTests {
    /// One `vf apply` line, or one expected VF state.
    struct Line: Decodable, Sendable {
        var vf: Int
        var mac: String?
        var vlan: Int?
        var qos: Int?
        var proto: String?
        var spoofchk: Bool?
        var trust: Bool?
        var linkState: String?
        var minRate: Int?
        var maxRate: Int?

        func change() throws -> VFChange {
            var settings = VFSettings()
            if let mac { settings.mac = try #require(MACAddress(mac), "MAC \(mac)") }
            if let vlan {
                let proto = try #require(VLANProtocol(text: proto ?? "802.1Q"), "protocol \(proto ?? "")")
                settings.vlan = PortVLAN(id: vlan, qos: qos ?? 0, proto: proto)
            }
            settings.spoofCheck = spoofchk
            settings.trust = trust
            if let linkState { settings.linkState = try #require(VFLinkState(rawValue: linkState)) }
            settings.minTxRate = minRate
            settings.maxTxRate = maxRate
            return VFChange(index: vf, settings: settings)
        }

        /// The differences between this expectation and `state`, as readable lines.
        func mismatches(_ state: VFState?) -> [String] {
            guard let state else { return ["VF \(vf): missing"] }
            var out: [String] = []
            func check<T: Equatable>(_ name: String, _ want: T?, _ got: T?) {
                if let want, want != got { out.append("VF \(vf) \(name): want \(want), got \(got.map { "\($0)" } ?? "nil")") }
            }
            check("mac", mac, state.mac.description)
            check("vlan", vlan, state.vlan.id)
            check("qos", qos, state.vlan.qos)
            check("proto", proto, state.vlan.id == 0 ? proto : state.vlan.proto.rawValue)
            check("spoofchk", spoofchk, state.spoofCheck)
            check("trust", trust, state.trust)
            check("linkState", linkState, state.linkState?.rawValue)
            check("minRate", minRate, state.minTxRate ?? 0)
            check("maxRate", maxRate, state.maxTxRate ?? 0)
            return out
        }
    }

    struct Outcome: Decodable, Sendable {
        var vf: Int
        var applied: [String]
        var code: String?
        var errno: Int32?
        var message: String?
        var note: String?
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var name: String
        var lab: Bool?
        var quirk: String?
        var vfs: Int
        var before: [Line]?
        var apply: [Line]
        var outcomes: [Outcome]
        var after: [Line]?
        var testDescription: String { name }
    }

    static let cases: [Case] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Contract/vf-link-cases.json")
        struct Document: Decodable { var cases: [Case] }
        guard let data = try? Data(contentsOf: file),
              let document = try? JSONDecoder().decode(Document.self, from: data) else { return [] }
        return document.cases
    }()

    /// A way to program VFs, set up with a case's VF count and quirk.
    enum Subject: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case fake, adapter
        var testDescription: String {
            self == .fake ? "FakeVFLinkControl" : "RTNetlinkVFControl over a byte-level kernel"
        }

        func make(_ c: Case) -> (any VFLinkControlling, quirk: () -> Void) {
            switch self {
            case .fake:
                let blank = (0..<c.vfs).map { VFState(index: $0, mac: .zero, vlans: [.none], spoofCheck: true, trust: false,
                                                      linkState: .auto, minTxRate: 0, maxTxRate: 0) }
                let fake = FakeVFLinkControl(pfs: [PFLinkStatus(ifindex: 7, name: "eth3", numVFs: c.vfs, vfs: blank)])
                return (fake, {
                    switch c.quirk {
                    case "refusesZeroMAC"?: fake.inject(.init(netdev: "eth3", attribute: .mac, errno: EINVAL, onlyIfMAC: .zero))
                    case "unsupported:trust"?: fake.inject(.init(netdev: "eth3", attribute: .trust, errno: EOPNOTSUPP))
                    case "pfGone"?: fake.removePF("eth3")
                    case "permissionDenied"?: fake.inject(.init(netdev: "eth3", errno: EPERM))
                    default: break
                    }
                })
            case .adapter:
                let kernel = FakeKernel(vfCount: c.vfs)
                return (RTNetlinkVFControl.over(kernel), {
                    switch c.quirk {
                    case "refusesZeroMAC"?: kernel.refusesZeroMAC = true
                    case "unsupported:trust"?: kernel.unsupported = [RTNL.vfTrust]
                    case "pfGone"?: kernel.present = false
                    case "permissionDenied"?: kernel.deniesPermission = true
                    default: break
                    }
                })
            }
        }
    }

    @Test("the case file is there and every quirk is known")
    func caseFile() {
        #expect(Self.cases.count >= 10)
        let known: Set<String?> = [nil, "refusesZeroMAC", "unsupported:trust", "pfGone", "permissionDenied"]
        #expect(Self.cases.allSatisfy { known.contains($0.quirk) })
        #expect(Self.cases.contains { $0.lab == true })
    }

    @Test("each case gives the same outcomes and VF state", arguments: Subject.allCases, cases)
    func contract(_ subject: Subject, _ c: Case) throws {
        let (links, quirk) = subject.make(c)
        if let before = c.before {
            let report = links.apply(try before.map { try $0.change() }, on: "eth3")
            try #require(report.succeeded, "before: \(report.failures)")
        }
        quirk()
        let report = links.apply(try c.apply.map { try $0.change() }, on: "eth3")
        #expect(report.outcomes.map(\.index) == c.outcomes.map(\.vf))
        for (got, want) in zip(report.outcomes, c.outcomes) {
            #expect(got.applied == want.applied, "VF \(want.vf) applied")
            #expect(got.error?.code.rawValue == want.code, "VF \(want.vf) error: \(got.error?.message ?? "none")")
            if let errno = want.errno { #expect(got.error?.errno == errno, "VF \(want.vf) errno") }
            if let message = want.message {
                #expect(got.error?.message.contains(message) == true, "VF \(want.vf): \(got.error?.message ?? "no error")")
            }
            if let note = want.note { #expect(got.notes.contains { $0.contains(note) }, "VF \(want.vf) notes: \(got.notes)") }
            if want.note == nil { #expect(got.notes.isEmpty, "VF \(want.vf) notes: \(got.notes)") }
        }
        guard let after = c.after, c.quirk != "pfGone" else { return }
        let status = try links.readPF("eth3")
        for line in after {
            let problems = line.mismatches(status.vf(line.vf))
            #expect(problems.isEmpty, "\(problems.joined(separator: "; "))")
        }
    }
}
