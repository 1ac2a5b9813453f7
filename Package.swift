// swift-tools-version: 6.0
// sriovctl: an SR-IOV virtual function controller for Linux virtualization hosts.
//
// Layout (see docs/architecture.md):
//   SRIOVCore        pure value types, planning, rendering, rules, port protocols
//   SRIOVLinux       sysfs and rtnetlink (libnl) adapters
//   SRIOVStore       the SQLite state database (GRDB)
//   SRIOVStorePostgres  the fleet state database on PostgreSQL (PostgresNIO)
//   SRIOVLibvirt     the libvirt C API adapter
//   SRIOVConfigFile  the YAML config loader (Yams)
//   SRIOVTesting     in-memory fakes of every port, for tests
//   sriovctl         the thin command-line front end and composition root
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

// For the library targets: imports are internal unless marked `public import`, so no C module
// (CNetlink, CLibvirt, CLibXML2, Glibc) or library type leaks into a public signature by
// accident. The executables, fuzz targets and tests export nothing and keep plain imports.
let librarySwiftSettings: [SwiftSetting] = swiftSettings + [
    .enableUpcomingFeature("InternalImportsByDefault"),
]

// Release builds of the tool link with lld and pack their relative relocations (DT_RELR,
// glibc >= 2.36, Debian 12): a static-stdlib sriovctl has ~100,000 of them, and as plain RELA
// entries (2.2 MB) the dynamic loader read and applied them at every start, which was the
// larger part of sriovctl's start-up (docs/benchmarks.md).
//
// They also link libstdc++ (which the static Swift runtime needs) statically: loading
// libstdc++.so cost about 2 M instructions of symbol lookups at every start, more than the
// lean binary's whole `--version`. The Swift driver adds its own `-lstdc++` where no user flag
// can come first, so the release link searches Support/static-libstdc++ first, which holds only
// a link to Debian 12's libstdc++.a (libstdc++-12-dev); `--exclude-libs ALL` keeps its symbols
// private to the binary.
let releaseLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs",
                  "-L", Context.packageDirectory + "/Support/static-libstdc++"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "sriovctl",
    products: [
        // What users run: serves `--version` and `vf apply` itself and execs sriovctl-full for
        // every other command (docs/architecture.md, "Two binaries").
        .executable(name: "sriovctl", targets: ["SriovctlLean"]),
        // Every command, on ArgumentParser; installed in /usr/libexec/sriovctl.
        .executable(name: "sriovctl-full", targets: ["sriovctl"]),
        // libFuzzer targets for what parses untrusted bytes: `make fuzz` builds them with
        // -sanitize=fuzzer,address and -DFUZZING; a plain build makes stubs (docs/fuzzing.md).
        .executable(name: "FuzzLinkReply", targets: ["FuzzLinkReply"]),
        .executable(name: "FuzzDomainXML", targets: ["FuzzDomainXML"]),
        .executable(name: "FuzzConfigFile", targets: ["FuzzConfigFile"]),
        .executable(name: "FuzzAuditMerge", targets: ["FuzzAuditMerge"]),
        .executable(name: "FuzzKernelEvents", targets: ["FuzzKernelEvents"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // The agent's local API (docs/agent-api.md): HTTP on a unix socket, a Service in the agent's ServiceGroup.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The fleet state database (docs/state.md, "A fleet on PostgreSQL").
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
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
        // libxml2's pull parser, loaded with dlopen on first use (see Sources/CLibXML2/include/CLibXML2.h):
        // headers from libxml2-dev (outside the default include path), the library only when XML is read.
        .target(name: "CLibXML2",
                cSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
                linkerSettings: [.linkedLibrary("dl")]),
        // libvirt, loaded with dlopen on first use (see Sources/CLibvirt/include/CLibvirt.h):
        // headers from libvirt-dev, the library only in the commands that talk to libvirt.
        .target(name: "CLibvirt", linkerSettings: [.linkedLibrary("dl")]),

        // The pure core: no Glibc, libnl, libvirt, GRDB or Foundation.
        .target(name: "SRIOVCore", swiftSettings: librarySwiftSettings),

        // The libc calls of the adapters: one function each, errno as swift-system's Errno,
        // EINTR retried in one place.
        .target(
            name: "SRIOVSyscalls",
            dependencies: [.product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: librarySwiftSettings
        ),

        // Adapters at the edges.
        .target(
            name: "SRIOVLinux",
            dependencies: [
                "SRIOVCore", "CNetlink", "SRIOVSyscalls",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        // Running host programs (modprobe): Foundation's Process, kept out of SRIOVLinux so the
        // lean binary links FoundationEssentials only.
        .target(
            name: "SRIOVLinuxPrograms",
            dependencies: ["SRIOVCore", "SRIOVLinux", "SRIOVSyscalls",
                           .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "SRIOVStore",
            dependencies: ["SRIOVCore", "SRIOVSyscalls", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "SRIOVStorePostgres",
            dependencies: ["SRIOVCore", "SRIOVStore",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "SRIOVLibvirt",
            dependencies: ["SRIOVCore", "CLibvirt", "CLibXML2"],
            swiftSettings: librarySwiftSettings
        ),
        .target(
            name: "SRIOVConfigFile",
            dependencies: ["SRIOVCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: librarySwiftSettings
        ),
        // What both binaries share: the version, the exit-code table, stderr, the one JSON
        // encoding, and the commands the lean binary serves itself (`vf apply`).
        .target(
            name: "SRIOVFrontEnd",
            dependencies: ["SRIOVCore", .product(name: "SystemPackage", package: "swift-system"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: librarySwiftSettings,
            plugins: ["BuildCommitPlugin"]
        ),
        // The agent's local API: routes, the socket, metrics. Calls the host through AgentOperations.
        .target(
            name: "SRIOVAgentAPI",
            dependencies: [
                "SRIOVCore", "SRIOVFrontEnd",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: librarySwiftSettings
        ),
        .target(name: "SRIOVTesting", dependencies: ["SRIOVCore", "SRIOVLinux", "SRIOVLinuxPrograms"],
                swiftSettings: librarySwiftSettings),

        // The lean binary (`sriovctl`): no ArgumentParser, no Foundation, no database or libvirt
        // code, so it starts in about the time of iproute2's `ip` (docs/benchmarks.md).
        .executableTarget(
            name: "SriovctlLean",
            dependencies: [
                "SRIOVCore", "SRIOVLinux", "SRIOVFrontEnd",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
        ),

        // The command-line tool with every command (`sriovctl-full`).
        .executableTarget(
            name: "sriovctl",
            dependencies: [
                "SRIOVCore", "SRIOVLinux", "SRIOVLinuxPrograms", "SRIOVFrontEnd", "SRIOVStore", "SRIOVStorePostgres", "SRIOVLibvirt", "SRIOVConfigFile", "SRIOVAgentAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings,
            linkerSettings: releaseLinkerSettings
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

        // The state database part of an attach on SQLite and PostgreSQL, and three hosts at once
        // (docs/benchmarks.md, "The fleet store"; needs root and Debian's postgresql).
        .executableTarget(
            name: "FleetBenchmark",
            dependencies: ["SRIOVCore", "SRIOVStore", "SRIOVStorePostgres", "SRIOVTesting"],
            path: "Benchmarks/FleetBenchmark",
            swiftSettings: swiftSettings
        ),

        // Fuzz targets (make fuzz; seeds in Fuzz/corpus/<target>/).
        .executableTarget(name: "FuzzLinkReply", dependencies: ["SRIOVLinux", "CNetlink"],
                          path: "Fuzz/FuzzLinkReply", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzDomainXML", dependencies: ["SRIOVLibvirt", "SRIOVCore"],
                          path: "Fuzz/FuzzDomainXML", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzConfigFile", dependencies: ["SRIOVConfigFile"],
                          path: "Fuzz/FuzzConfigFile", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzAuditMerge", dependencies: ["SRIOVCore"],
                          path: "Fuzz/FuzzAuditMerge", swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzKernelEvents", dependencies: ["SRIOVLinux"],
                          path: "Fuzz/FuzzKernelEvents", swiftSettings: swiftSettings),

        .testTarget(name: "SRIOVCoreTests", dependencies: ["SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVLinuxTests", dependencies: ["SRIOVLinux", "SRIOVLinuxPrograms", "SRIOVCore", "SRIOVTesting", "CNetlink"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVStoreTests", dependencies: ["SRIOVStore", "SRIOVStorePostgres", "SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVLibvirtTests", dependencies: ["SRIOVLibvirt", "SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(name: "SRIOVConfigFileTests", dependencies: ["SRIOVConfigFile", "SRIOVCore", "SRIOVTesting"], swiftSettings: swiftSettings),
        .testTarget(
            name: "sriovctlTests",
            dependencies: ["sriovctl", "SRIOVFrontEnd", "SRIOVCore", "SRIOVStore", "SRIOVStorePostgres", "SRIOVTesting", "SRIOVAgentAPI",
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
