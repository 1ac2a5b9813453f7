/// Kernel module configuration for drivers that take VFs as a module parameter (`max_vfs`).
public protocol KernelModuleControlling: Sendable {
    /// The module that provides PCI driver `driver` (usually the same name).
    func moduleName(forDriver driver: String) -> String

    /// Where sriovctl keeps its options for `module` (`/etc/modprobe.d/sriovctl-igb.conf`).
    func modprobeFilePath(module: String) -> String

    /// The current content of that file, `nil` when it does not exist.
    func readModprobeFile(module: String) -> String?

    /// Replaces that file's content (atomically).
    func writeModprobeFile(module: String, contents: String) throws(SRIOVError)

    /// Whether the module's `max_vfs` takes one value per port or one for all.
    func maxVFsParameterShape(module: String) -> MaxVFsParameterShape

    /// Unloads and loads the module again (`modprobe -r`, `modprobe`).
    func reload(module: String) throws(SRIOVError)
}
