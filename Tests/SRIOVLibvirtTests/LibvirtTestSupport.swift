import Foundation
import SRIOVCore
import SRIOVLibvirt
import Testing

/// Shared helpers for the libvirt tests: domain XML around a device, unique names, and what is
/// available on this machine (tests that need a daemon or a tool skip with a reason).
enum LibvirtTestSupport {
    /// `sriovctl-test-1a2b3c4d`: unique per call, so parallel tests and engineers sharing one
    /// libvirtd never collide.
    static func uniqueGuestName() -> String {
        "sriovctl-test-" + String(UInt32.random(in: .min ... .max), radix: 16)
    }

    /// A minimal valid domain of `type` (`kvm`, `qemu`, `test`) holding `devices` (XML text).
    static func domainXML(name: String, type: String = "kvm", devices: String = "") -> String {
        """
        <domain type='\(type)'>
          <name>\(name)</name>
          <memory unit='MiB'>64</memory>
          <os>
            <type arch='x86_64'>hvm</type>
          </os>
          <devices>
        \(devices)  </devices>
        </domain>

        """
    }

    /// True when `qemu:///system` answers (a libvirtd with the QEMU driver runs and we may use it).
    static let qemuSystemReachable: Bool = (try? LibvirtConnection.open(uri: "qemu:///system")) != nil

    /// Why the QEMU tests skip.
    static let qemuSystemSkipReason: Comment =
        "qemu:///system is unreachable: run Tests/Support/start-libvirtd.sh as root (CI does)"

    /// The `virt-xml-validate` executable, if installed.
    static let virtXMLValidate: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/bin"] {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent("virt-xml-validate")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()
}
