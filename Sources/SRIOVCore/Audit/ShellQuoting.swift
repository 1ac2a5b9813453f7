/// Quotes words for a POSIX shell, so a suggested command can be pasted as is.
///
/// Guest and network names come from libvirt and the database and may hold spaces, quotes
/// or `$(...)`: any word with a character outside a small safe set is put in single quotes,
/// with each `'` written as `'\''`. Nothing is ever expanded.
public enum ShellQuoting {
    /// `word` as one shell word: unchanged when it only has safe characters, else single-quoted.
    public static func quote(_ word: String) -> String {
        if !word.isEmpty && word.unicodeScalars.allSatisfy(isSafe) { return word }
        return "'" + word.replacing("'", with: "'\\''") + "'"
    }

    private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": true
        case "_", "-", ".", "/", ":", ",", "+", "=", "@", "%": true
        default: false
        }
    }
}
