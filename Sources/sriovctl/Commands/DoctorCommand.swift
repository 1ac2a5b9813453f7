import ArgumentParser

/// `sriovctl doctor` (not implemented yet).
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "doctor", abstract: "(not implemented yet)")

    func run() throws {
        throw ValidationError("'doctor' is not implemented yet")
    }
}
