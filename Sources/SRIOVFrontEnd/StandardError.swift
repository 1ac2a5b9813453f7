import SystemPackage

/// Writes a line to stderr (unbuffered, all of it: `writeAll` retries short writes and EINTR).
public func printError(_ text: String) {
    _ = try? FileDescriptor.standardError.writeAll((text + "\n").utf8)
}
