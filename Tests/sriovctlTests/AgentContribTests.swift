import Foundation
import SRIOVTesting
import Testing

/// contrib/systemd/sriovctl-agent.service.
@Suite("agent: systemd unit")
struct AgentContribTests {
    @Test("The agent unit is Type=notify, after provision and before libvirt, hardened but able to write sysfs, its state and runtime directories; systemd-analyze verify accepts it",
          .enabled(if: FileManager.default.isExecutableFile(atPath: ProvisionContribTests.systemdAnalyze),
                   "systemd-analyze is not installed"))
    func systemdUnit() async throws {
        let unit = try String(contentsOfFile: ProvisionContribTests.repository + "/contrib/systemd/sriovctl-agent.service",
                              encoding: .utf8)
        let lines = unit.split(separator: "\n").map(String.init)
        for line in ["Type=notify", "ExecStart=/usr/local/bin/sriovctl agent", "ExecReload=/bin/kill -HUP $MAINPID",
                     "After=sriovctl-provision.service systemd-udev-settle.service local-fs.target",
                     "Before=libvirtd.service virtqemud.service xendomains.service",
                     "CapabilityBoundingSet=CAP_NET_ADMIN", "StateDirectory=sriovctl", "RuntimeDirectory=sriovctl",
                     "RuntimeDirectoryMode=0755",
                     "ProtectSystem=strict", "NoNewPrivileges=yes", "WantedBy=multi-user.target"] {
            #expect(lines.contains(line), "missing \(line)")
        }
        // ProtectKernelTunables would make /sys read-only: no VF could be created.
        #expect(!lines.contains { $0.hasPrefix("ProtectKernelTunables=yes") })
        let scratch = try ProvisionContribTests.Scratch()
        let copy = scratch.path + "/sriovctl-agent.service"
        try unit.replacingOccurrences(of: "/usr/local/bin/sriovctl", with: SriovctlProcess.binaryPath)
            .write(toFile: copy, atomically: true, encoding: .utf8)
        let result = try await ProvisionContribTests.run(ProvisionContribTests.systemdAnalyze, ["verify", copy])
        #expect(result.status == 0, "systemd-analyze verify: \(result.stderr)")
    }
}
