import Foundation
import SRIOVConfigFile
import SRIOVCore
import SRIOVTesting
import Testing

/// The FuzzConfigFile corpus (Fuzz/corpus/FuzzConfigFile) replayed through the loader as
/// `ConfigFileLoader.load(path:)` reads a file: UTF-8 check, then YAML, then HostConfig.
@Suite("Config file fuzz corpus")
struct ConfigFileFuzzCorpusTests {
    @Test("Every input of the corpus loads or is refused with an error naming the file; none crashes")
    func corpus() {
        let inputs = FuzzCorpus.inputs("FuzzConfigFile")
        #expect(inputs.count >= 5)
        for input in inputs {
            guard let text = String(data: Data(input.bytes), encoding: .utf8) else { continue }
            do {
                _ = try ConfigFileLoader.parse(text, file: "config.yaml")
            } catch {
                #expect(error.message.hasPrefix("config.yaml:"), "\(input.name): \(error.message)")
            }
        }
    }
}
