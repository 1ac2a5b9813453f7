import Foundation  // Process, Pipe, NSString paths: not in FoundationEssentials
import Glibc
public import SRIOVCore
import SRIOVSyscalls
public import SRIOVLinux
import SystemPackage

/// `max_vfs` for legacy drivers: sriovctl's own file in `<etc>/modprobe.d/`, the
/// parameter's form from `modinfo`, and module reloads with `modprobe`.
///
/// Programs are run with an argument array (never a shell). The file is replaced
/// atomically (write a temporary file, fsync, rename) and created 0600.
public struct ModprobeModuleControl: KernelModuleControlling {
    /// sysfs, for the driver → module link.
    public let sysfs: SysfsTree
    /// The `/etc` directory (a test directory in tests).
    public let etcRoot: String
    /// `modprobe`.
    public var modprobe: String
    /// `modinfo`.
    public var modinfo: String

    /// Creates a controller writing under `etcRoot`.
    public init(sysfs: SysfsTree, etcRoot: String = "/etc", modprobe: String = "/sbin/modprobe",
                modinfo: String = "/sbin/modinfo") {
        self.sysfs = sysfs
        self.etcRoot = etcRoot.count > 1 && etcRoot.hasSuffix("/") ? String(etcRoot.dropLast()) : etcRoot
        self.modprobe = modprobe
        self.modinfo = modinfo
    }

    public func moduleName(forDriver driver: String) -> String {
        sysfs.linkTargetName("bus/pci/drivers/\(driver)/module") ?? driver
    }

    public func modprobeFilePath(module: String) -> String {
        "\(etcRoot)/modprobe.d/sriovctl-\(module).conf"
    }

    public func readModprobeFile(module: String) -> String? {
        FileManager.default.contents(atPath: modprobeFilePath(module: module)).map { String(decoding: $0, as: UTF8.self) }
    }

    public func writeModprobeFile(module: String, contents: String) throws(SRIOVError) {
        let path = modprobeFilePath(module: module)
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !FileManager.default.fileExists(atPath: directory) {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
        } catch {
            throw SRIOVError(.system, "\(directory): cannot create the directory: \(error.localizedDescription)")
        }
        let temporary = "\(directory)/.sriovctl-\(module).conf.\(getpid())"
        let fd: Int32
        do throws(Errno) {
            fd = try Syscall.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        } catch {
            throw SRIOVError(.system, "\(temporary): cannot create: \(error.nameAndDescription)", errno: error.rawValue)
        }
        do throws(Errno) {
            defer { close(fd) }
            try Syscall.writeAll(fd, Array(contents.utf8))
            try Syscall.fsync(fd)
        } catch {
            unlink(temporary)
            throw SRIOVError(.system, "\(temporary): cannot write: \(error.nameAndDescription)", errno: error.rawValue)
        }
        do throws(Errno) {
            try Syscall.rename(temporary, path)
        } catch {
            unlink(temporary)
            throw SRIOVError(.system, "\(path): cannot replace: \(error.nameAndDescription)", errno: error.rawValue)
        }
    }

    public func maxVFsParameterShape(module: String) -> MaxVFsParameterShape {
        guard let output = try? ProgramRunner.run(modinfo, ["-F", "parm", module]), output.status == 0 else { return .unknown }
        return Self.shape(fromModinfo: output.stdout)
    }

    /// Reads `max_vfs:... (array of uint)` or `max_vfs:... (uint)` from `modinfo -F parm`.
    public static func shape(fromModinfo text: String) -> MaxVFsParameterShape {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("max_vfs:") }) else { return .unknown }
        return line.contains("(array of") ? .perPort : (line.hasSuffix(")") ? .single : .unknown)
    }

    public func reload(module: String) throws(SRIOVError) {
        for arguments in [["-r", module], [module]] {
            let output: ProgramRunner.Result
            do {
                output = try ProgramRunner.run(modprobe, arguments)
            } catch {
                throw SRIOVError(.system, "cannot run \(modprobe): \(error)")
            }
            guard output.status == 0 else {
                let detail = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                throw SRIOVError(.system, "modprobe \(arguments.joined(separator: " ")) failed (status \(output.status))"
                                 + (detail.isEmpty ? "" : ": \(detail)"))
            }
        }
    }
}
