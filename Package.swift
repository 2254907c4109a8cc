// swift-tools-version: 6.0
import PackageDescription

/// Settings every Trellis target shares: Swift 6 language mode (complete strict concurrency)
/// and every existential spelled `any`, so none can hide on the hot path.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    // Async functions run on their caller's executor instead of hopping to the generic one: no
    // swift_task_switch (and its status-record lock) on every non-inlined async call of a request.
    .enableUpcomingFeature("NonisolatedNonsendingByDefault"),
    // An import is internal unless it says `public import`: a module's dependencies do not leak
    // into its users' namespace. A file uses only the members of modules it imports itself.
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Trellis",
    // macOS 15: Synchronization's Mutex and Atomic (the Linux toolchain has them unconditionally).
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Trellis", targets: ["Trellis"]),
        .library(name: "TrellisMiddleware", targets: ["TrellisMiddleware"]),
        .library(name: "TrellisTesting", targets: ["TrellisTesting"]),
        .library(name: "TrellisServer", targets: ["TrellisServer"]),
        // The reference app, one definition for the example, the tests and the benchmarks.
        .library(name: "TrellisReferenceApp", targets: ["TrellisReferenceApp"]),
        .executable(name: "TrellisExample", targets: ["TrellisExample"]),
        .executable(name: "TrellisCatalogExample", targets: ["TrellisCatalogExample"]),
    ],
    targets: [
        // The core: the middleware protocol, the builder, routing, the request lifecycle. No
        // dependency beyond the toolchain (and its own per-thread pointers, in C).
        .target(name: "Trellis", dependencies: ["CTrellisThreadLocal"], swiftSettings: strictSettings),
        // Two `__thread` pointers the core and the server read on every request.
        .target(name: "CTrellisThreadLocal"),
        // The system zlib (zlib1g-dev on a fresh Debian/Ubuntu machine): GZip's compression.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // The middleware catalog (GZip, StaticFiles, auth, logging, …): the only target that needs zlib.
        .target(name: "TrellisMiddleware", dependencies: ["Trellis", "CZlib"], swiftSettings: strictSettings),
        .target(name: "TrellisTesting", dependencies: ["Trellis"], swiftSettings: strictSettings),
        .target(name: "CTrellisSystem"),
        .target(name: "TrellisServer", dependencies: ["Trellis", "CTrellisSystem", "CTrellisThreadLocal"], swiftSettings: strictSettings),
        .target(name: "TrellisReferenceApp", dependencies: ["Trellis"], swiftSettings: strictSettings),
        // Fuzz targets (invariants over the parser, decoders, serializer, …) and their driver:
        // libFuzzer with `-DTRELLIS_FUZZING` (Scripts/fuzz.sh), a corpus replayer otherwise.
        .target(
            name: "TrellisFuzzing",
            dependencies: ["Trellis", "TrellisMiddleware", "TrellisServer"],
            swiftSettings: strictSettings
        ),
        .executableTarget(name: "trellis-fuzz", dependencies: ["TrellisFuzzing"], swiftSettings: strictSettings),
        .executableTarget(
            name: "TrellisExample",
            dependencies: ["Trellis", "TrellisServer", "TrellisReferenceApp"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "TrellisCatalogExample",
            dependencies: ["Trellis", "TrellisMiddleware", "TrellisServer"],
            exclude: ["Public"],
            swiftSettings: strictSettings
        ),
        .testTarget(name: "TrellisTests", dependencies: ["Trellis", "TrellisMiddleware", "TrellisTesting", "TrellisReferenceApp"], swiftSettings: strictSettings),
        .testTarget(
            name: "TrellisServerTests",
            dependencies: ["Trellis", "TrellisMiddleware", "TrellisServer", "TrellisReferenceApp", "TrellisFuzzing"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CompileFailTests",
            dependencies: ["Trellis", "TrellisMiddleware"],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
