import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` (the git commit the binary is built from) into the build
/// directory before every build of the target that uses it, so `sriovctl --version` names
/// its commit with a plain `swift build` too. The work is done by
/// `scripts/build-commit.sh`, which rewrites the file only when the commit changed (so an
/// unchanged tree rebuilds nothing) and says `unknown` outside a git checkout.
/// `SRIOVCTL_COMMIT` in the environment overrides git (builds from a source tarball).
@main
struct BuildCommitPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let package = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "generated")
        var environment: [String: String] = [:]
        if let commit = ProcessInfo.processInfo.environment["SRIOVCTL_COMMIT"] {
            environment["SRIOVCTL_COMMIT"] = commit
        }
        return [
            .prebuildCommand(
                displayName: "Recording the git commit of \(package.lastPathComponent) for --version",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [package.appending(path: "scripts/build-commit.sh").path, package.path, output.path],
                environment: environment,
                outputFilesDirectory: output
            ),
        ]
    }
}
