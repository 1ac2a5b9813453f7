import Glibc
import Logging
import SRIOVCore
import SRIOVFrontEnd
import SRIOVLinux

// `sriovctl`: serves `--version` and `vf apply` itself (LeanCommandLine), and replaces itself
// with the full binary for everything else (FullBinary), which gets the same arguments and so
// prints the same help, usage errors and exit codes.
let arguments = CommandLine.arguments
switch LeanCommandLine(Array(arguments.dropFirst())) {
case .version?:
    print(SriovctlVersion.withCommit)
    exit(ExitStatus.success.rawValue)
case .vfApply(let parsed)?:
    StandardErrorLogging.bootstrap()
    let sysfs = SysfsTree(root: parsed.sysfsRoot)
    let service = VFApplyService(discovery: SysfsHostDiscovery(sysfs: sysfs),
                                 links: RTNetlinkVFControl(logger: Logger(label: "sriovctl"), sysfs: sysfs))
    exit(parsed.run.run(service).rawValue)
case nil:
    FullBinary.exec(arguments)
}
