import ArgumentParser

/// `sriovctl vf` (not implemented yet).
struct VFCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "vf", abstract: "(not implemented yet)")

    func run() throws {
        throw ValidationError("'vf' is not implemented yet")
    }
}
