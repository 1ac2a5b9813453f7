import SRIOVConfigFile
import SRIOVCore

/// Config text loaded as `test.yaml`, for the suites that check one section: the config, the
/// loader's refusal, and the deprecation notes it gave.
enum ConfigText {
    /// What loading `text` gave: the config or the refusal's message, and the deprecation notes.
    struct Loaded {
        var config: HostConfig?
        var refusal: String?
        var deprecations: [String]
    }

    /// Loads `text` as `test.yaml`.
    static func load(_ text: String) -> Loaded {
        var notes: [String] = []
        do {
            let config = try ConfigFileLoader.parse(text, file: "test.yaml", deprecation: { notes.append($0) })
            return Loaded(config: config, refusal: nil, deprecations: notes)
        } catch {
            return Loaded(config: nil, refusal: error.message, deprecations: notes)
        }
    }

    /// The refusal's message for `text`, `nil` when it loads.
    static func refusal(_ text: String) -> String? { load(text).refusal }
}
