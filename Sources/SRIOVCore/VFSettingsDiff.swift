/// The desired-minus-live diff: which fields of some wanted settings a VF does not have yet.
/// Used wherever a VF is brought to settings (attach, converge, restore, repair).
public enum VFSettingsDiff {
    /// The part of `target` that `live` does not already have; all of `target` when the
    /// live state is unknown; `nil` when nothing needs sending.
    ///
    /// A zero MAC is already there when the VF shows libvirt's `02:00:00:00:00:00`
    /// placeholder (what drivers that refuse the zero MAC get instead).
    public static func change(to target: VFSettings, from live: VFState?) -> VFSettings? {
        guard let live else { return target.isEmpty ? nil : target }
        var wanted = target
        if wanted.mac == .zero && live.mac.isUnsetOrPlaceholder { wanted.mac = nil }
        return wanted.difference(from: live)
    }
}
