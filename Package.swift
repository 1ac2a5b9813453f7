// swift-tools-version: 6.0
// sriovctl: an SR-IOV virtual function controller for Linux virtualization hosts.
//
// Layout (see docs/architecture.md):
//   SRIOVCore        pure value types, planning, rendering, rules, port protocols
//   SRIOVLinux       sysfs and rtnetlink (libnl) adapters
//   SRIOVStore       the SQLite state database (GRDB)
//   SRIOVLibvirt     the libvirt C API adapter
//   SRIOVConfigFile  the YAML config loader (Yams)
//   SRIOVTesting     in-memory fakes of every port, for tests
//   sriovctl         the thin command-line front end and composition root
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "sriovctl",
    products: [
        .executable(name: "sriovctl", targets: ["sriovctl"]),
        // libFuzzer targets for what parses untrusted bytes: `make fuzz` builds them with
        // -sanitize=fuzzer,address and -DFUZZING; a plain build makes stubs (docs/fuzzing.md).
        .executable(name: "FuzzLinkReply", targets: ["FuzzLinkReply"]),
        .executable(name: "FuzzDomainXML", targets: ["FuzzDomainXML"]),
        .executable(name: "FuzzConfigFile", targets: ["FuzzConfigFile"]),
        .executable(name: "FuzzAuditMerge", targets: ["FuzzAuditMerge"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The agent's local API (docs/agent-api.md): HTTP on a unix socket, a Service in the agent's ServiceGroup.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // Tests only: a real HTTP client on the agent's socket (http+unix://).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // C libraries from Debian, found through pkg-config.
        .systemLibrary(
            name: "CNetlink",
            pkgConfig: "libnl-route-3.0",
            providers: [.apt(["libnl-3-dev", "libnl-route-3-dev"])]
        ),
        // libvirt, loaded with dlopen on first use (see Sources/CLibvirt/include/CLibvirt.h):
        // headers from libvirt-dev, the library only in the commands that talk to libvirt.
        .target(name: "CLibvirt", linkerSettings: [.linkedLibrary("dl")]),

        // The pure core: no Glibc, libnl, libvirt, GRDB or Foundation.
        .target(name: "SRIOVCore", swiftSettings: swiftSettings),

        // Adapters at the edges.
        .target(
            name: "SRIOVLinux",
            dependencies: [
                "SRIOVCore", "CNetlink",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SRIOVStore",
            dependencies: ["SRIOVCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SRIOVLibvirt",
            dependencies: ["SRIOVCore", "CLibvirt"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SRIOVConfigFile",
            dependencies: ["SRIOVCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // The agent's local API: routes, the socket, metrics. Calls the host through AgentOperations.
        .target(
            name: "SRIOVAgentAPI",
            dependencies: [
                "SRIOVCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "SRIOVTesting", dependencies: ["SRIOVCore", "SRIOVLinux"], swiftSettings: swiftSettings),

        // The command-line tool.
        .executableTarget(
            name: "sriovctl",
            dependencies: [
                "SRIOVCore", "SRIOVLinux", "SRIOVStore", "SRIOVLibvirt", "SRIOVConfigFile", "SRIOVAgentAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["BuildCommitPlugin"]
        ),
        // Writes the git commit into the build for `sriovctl --version` (scripts/build-commit.sh).
        .plugin(name: "BuildCommitPlugin", capability: .buildTool()),

        // Times the audit core on a generated 1,000-lease, 4 x 256-VF host (make bench-audit).
        .executableTarget(
            name: "AuditBenchmark",
            dependencies: ["SRIOVCore", "SRIOVTesting"],
            path: "Benchmarks/AuditBenchmark",
            swiftSettings: swiftSettings
        ),

        // Fuzz targets (make fuzz; seeds in Fuzz/corpus/<target>/).
        .executableTarget(name: "FuzzLinkReply", dependencies: ["SRIOVLinux", "CNetlink"],
                          path: "Fuzz/FuzzLinkReply", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzDomainXML", dependencies: ["SRIOVLibvirt"],
                          path: "Fuzz/FuzzDomainXML", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzConfigFile", dependencies: ["SRIOVConfigFile"],
                          path: "Fuzz/FuzzConfigFile", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzAuditMerge", dependencies: ["SRIOVCore"],
                          path: "Fuzz/FuzzAuditMerge", swiftSettings: swiftSettings),

        .testTarget(name: "SRIOVCoreTests", dependencies: ["SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVLinuxTests", dependencies: ["SRIOVLinux", "SRIOVCore", "SRIOVTesting", "CNetlink"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVStoreTests", dependencies: ["SRIOVStore", "SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVLibvirtTests", dependencies: ["SRIOVLibvirt", "SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVConfigFileTests", dependencies: ["SRIOVConfigFile", "SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "sriovctlTests",
            dependencies: ["sriovctl", "SRIOVCore", "SRIOVStore", "SRIOVTesting", "SRIOVAgentAPI",
                           .product(name: "Logging", package: "swift-log"),
                           .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SRIOVAgentAPITests",
            dependencies: [
                "SRIOVAgentAPI", "SRIOVCore", "SRIOVTesting",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
