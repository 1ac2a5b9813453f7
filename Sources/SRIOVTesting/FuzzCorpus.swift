public import Foundation  // URL in the public API

/// The committed libFuzzer seed corpora (`Fuzz/corpus/<target>/`, docs/fuzzing.md), so unit
/// tests can replay every seed and every crash input that fuzzing found (those are added to
/// the corpus as `regression-*` files) through the same parser as the fuzz target.
public enum FuzzCorpus {
    /// The repository's `Fuzz/corpus/<target>` directory.
    public static func directory(_ target: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/corpus/\(target)")
    }

    /// Every input of `target`'s corpus as (file name, bytes), sorted by name; empty when
    /// the directory is missing (a test then fails on its own expectation of a count).
    public static func inputs(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let directory = directory(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) else {
                return nil
            }
            return (name, [UInt8](data))
        }
    }

    /// The bytes of one named input of `target`'s corpus; `nil` when it is missing.
    public static func input(_ target: String, _ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: directory(target).appendingPathComponent(name).path).map { [UInt8]($0) }
    }
}
