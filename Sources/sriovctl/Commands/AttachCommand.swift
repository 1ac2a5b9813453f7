import ArgumentParser

/// `sriovctl attach` (not implemented yet).
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach", abstract: "(not implemented yet)")

    func run() throws {
        throw ValidationError("'attach' is not implemented yet")
    }
}
