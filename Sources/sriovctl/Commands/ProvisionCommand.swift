import ArgumentParser

/// `sriovctl provision` (not implemented yet).
struct ProvisionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "provision", abstract: "(not implemented yet)")

    func run() throws {
        throw ValidationError("'provision' is not implemented yet")
    }
}
