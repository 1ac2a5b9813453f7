import ArgumentParser

/// `sriovctl leases` (not implemented yet).
struct LeasesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "leases", abstract: "(not implemented yet)")

    func run() throws {
        throw ValidationError("'leases' is not implemented yet")
    }
}
