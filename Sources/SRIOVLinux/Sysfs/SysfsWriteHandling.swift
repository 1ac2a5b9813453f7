/// Takes the writes of a ``SysfsTree`` in place of its files: a test's model of the kernel's
/// attribute handlers over a fixture tree (`sriov_numvfs` refusing a count above
/// `sriov_totalvfs` with ERANGE, `drivers_probe` binding a device), so the sysfs adapters
/// meet the kernel's answers on a host without SR-IOV. Never set on a real host.
public protocol SysfsWriteHandling: Sendable {
    /// Writes `value` to the attribute at `relative` (relative to the tree's root) as the
    /// kernel would: 0 when the write succeeds, else the errno it fails with.
    func write(_ value: String, to relative: String) -> Int32
}
