import ArgumentParser
import SRIOVCore

/// Runs `body`, printing an ``SRIOVError`` to stderr and exiting 1 instead of throwing it.
func exitingOnFailure<T>(_ body: () throws(SRIOVError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("sriovctl: \(error.message)")
        throw ExitCode.failure
    }
}
