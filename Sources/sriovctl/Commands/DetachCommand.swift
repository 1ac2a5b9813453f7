import ArgumentParser

/// `sriovctl detach` (not implemented yet).
struct DetachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "detach", abstract: "(not implemented yet)")

    func run() throws {
        throw ValidationError("'detach' is not implemented yet")
    }
}
