import ArgumentParser

/// `sriovctl audit` (not implemented yet).
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "(not implemented yet)")

    func run() throws {
        throw ValidationError("'audit' is not implemented yet")
    }
}
