/// What `/proc/interrupts` says about interrupt remapping.
///
/// When remapping is on, the kernel's interrupt chips are the remapping ones and their
/// names start with `IR-` (`IR-IO-APIC`, `IR-PCI-MSI`, `IR-PCI-MSIX`), on Intel and AMD
/// alike. The boot message "DMAR-IR: Enabled IRQ remapping" says the same but lives in
/// the kernel log, which can have rotated away; the file is always current.
public struct InterruptRemappingEvidence: Hashable, Sendable {
    /// Interrupt lines (numbered rows) in the file.
    public var interruptLines: Int
    /// Rows whose chip name starts with `IR-`.
    public var remappedLines: Int
    /// One remapped chip name seen (`IR-PCI-MSI`), `nil` when none.
    public var example: String?

    /// Creates the evidence.
    public init(interruptLines: Int, remappedLines: Int, example: String? = nil) {
        self.interruptLines = interruptLines
        self.remappedLines = remappedLines
        self.example = example
    }

    /// Parses `/proc/interrupts` text.
    public init(parsing text: String) {
        var lines = 0
        var remapped = 0
        var example: String?
        for raw in text.split(separator: "\n") {
            let words = raw.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = words.first, first.hasSuffix(":"), first.dropLast().allSatisfy(\.isNumber) else { continue }
            lines += 1
            if let chip = words.first(where: { $0.hasPrefix("IR-") }) {
                remapped += 1
                if example == nil { example = String(chip) }
            }
        }
        self.init(interruptLines: lines, remappedLines: remapped, example: example)
    }

    /// True when some interrupt goes through a remapping chip.
    public var isActive: Bool { remappedLines > 0 }
}
