// libFuzzer target: config file bytes through ConfigFileLoader (UTF-8 check, Yams, then
// HostConfig with file:line:key errors), as `ConfigFileLoader.load(path:)` reads them.
// Built only by `make fuzz` (docs/fuzzing.md).
#if FUZZING
import Foundation
import SRIOVConfigFile

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(data: Data(bytes: data, count: size), encoding: .utf8) else { return 0 }
    _ = try? ConfigFileLoader.parse(text, file: "config.yaml")
    return 0
}
#else
/// Without `-DFUZZING` (a plain `swift build`) this is a stub that says how to build it.
@main
enum FuzzConfigFile {
    static func main() {
        print("FuzzConfigFile is a libFuzzer target: run `make fuzz` (docs/fuzzing.md)")
    }
}
#endif
