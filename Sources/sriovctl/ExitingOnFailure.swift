import ArgumentParser
import SRIOVCore
import SRIOVFrontEnd

/// Runs `body`, printing an ``SRIOVError`` to stderr (``ExitStatus/report(_:)``) and exiting
/// ``ExitStatus/failure`` instead of throwing it.
func exitingOnFailure<T>(_ body: () throws(SRIOVError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        ExitStatus.report(error)
        throw ExitStatus.failure.code
    }
}
